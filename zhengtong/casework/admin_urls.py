from django.urls import path

from zhengtong.casework import views

urlpatterns = [
    path("", views.case_index, name="casework_index"),
    path("new/", views.case_new, name="casework_new"),
    path("hotline/", views.hotline_desk, name="casework_hotline"),
    path("supervision/", views.supervision, name="casework_supervision"),
    path("attachments/<int:pk>/", views.attachment_download, name="casework_attachment"),
    path("<int:pk>/", views.case_detail, name="casework_detail"),
    path("<int:pk>/<str:event>/", views.case_act, name="casework_act"),
]
