"""/xxgk/ysq/: where the 信息公开 sections' "在线申请" link leads (``disclosure.guide.application_url``)."""

from django.urls import path

from zhengtong.disclosure_requests import views

urlpatterns = [path("", views.choose, name="disclosure_apply")]
