from django.urls import path

from zhengtong.privacy import views

urlpatterns = [
    path("reveal/<int:content_type_id>/<str:pk>/<str:field_name>/", views.reveal_view, name="privacy_reveal"),
]
