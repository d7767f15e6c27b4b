from django.urls import path

from zhengtong.disclosure_report import views

urlpatterns = [
    path("", views.report_index, name="disclosure_report_index"),
    path("<int:org_pk>/<int:year>/", views.report_edit, name="disclosure_report_edit"),
    path("<int:org_pk>/<int:year>/publish/", views.report_publish, name="disclosure_report_publish"),
    path("<int:org_pk>/<int:year>/unpublish/", views.report_unpublish, name="disclosure_report_unpublish"),
    path("<int:org_pk>/<int:year>/preview/", views.report_preview, name="disclosure_report_preview"),
    path(
        "<int:org_pk>/<int:year>/preview.pdf",
        views.report_preview,
        {"fmt": "pdf"},
        name="disclosure_report_preview_pdf",
    ),
]
