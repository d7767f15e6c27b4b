from django.urls import path

from zhengtong.portal import views

urlpatterns = [
    path("", views.submission_index, name="portal_submissions"),
    path("new/<int:page_id>/", views.submission_create, name="portal_submission_create"),
    path("<int:submission_id>/<str:decision>/", views.submission_decide, name="portal_submission_decide"),
]
