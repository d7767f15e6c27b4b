from django.urls import path

from zhengtong.disclosure_requests import admin_views

urlpatterns = [
    path("", admin_views.office_lists, name="disclosure_requests_lists"),
    path("new/", admin_views.application_new, name="disclosure_requests_new"),
    path("<int:pk>/", admin_views.case_panel, name="disclosure_requests_case"),
    path("<int:pk>/<str:step>/", admin_views.case_step, name="disclosure_requests_step"),
]
