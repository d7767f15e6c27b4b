from django.urls import path

from zhengtong.notifications import views

urlpatterns = [
    path("", views.inbox, name="notifications_inbox"),
    path("<int:pk>/", views.open_notice, name="notifications_open"),
    path("read/", views.mark_all_read, name="notifications_mark_all_read"),
    path("sent/", views.outbox, name="notifications_outbox"),
]
