from django.urls import path

from zhengtong.twofactor import views

urlpatterns = [
    path("", views.status, name="twofactor_status"),
    path("verify/", views.verify, name="twofactor_verify"),
    path("enrol/", views.enrol, name="twofactor_enrol"),
    path("recovery-codes/", views.regenerate, name="twofactor_regenerate"),
    path("reenrol/", views.reenrol, name="twofactor_reenrol"),
    path("users/", views.users, name="twofactor_users"),
    path("users/<int:user_id>/reset/", views.reset, name="twofactor_reset"),
]
