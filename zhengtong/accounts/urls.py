from django.urls import path

from zhengtong.accounts import views

app_name = "zt_accounts"
urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("sessions/", views.SessionsView.as_view(), name="sessions"),
    path("lockouts/", views.LockoutsView.as_view(), name="lockouts"),
    path("roles/", views.RolesIndexView.as_view(), name="roles"),
    path("roles/<int:user_id>/", views.RolesEditView.as_view(), name="roles_edit"),
]
