"""Public (non-admin) URLs of the case kernel, included by the project's urls.py under ``cases/``."""

from django.urls import path

from zhengtong.casework import views

urlpatterns = [
    path("files/<str:token>/", views.public_attachment, name="casework_public_attachment"),
]
