"""Kiosk URLs (政府信息公开查阅点), included under ``/kiosk/`` by the project's urls."""

from django.urls import path

from zhengtong.disclosure import kiosk

app_name = "kiosk"

urlpatterns = [
    path("", kiosk.start, name="start"),
    path("search/", kiosk.search, name="search"),
    path("org/<int:section_id>/", kiosk.section, name="section"),
    path("item/<int:item_id>/", kiosk.item, name="item"),
]
