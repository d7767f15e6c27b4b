"""Public pages of published annual reports, under /xxgk/ndbg/ (信息公开 · 年度报告)."""

from django.urls import path

from zhengtong.disclosure_report import views

urlpatterns = [
    path("<str:code>/", views.public_list, name="disclosure_report_list"),
    path("<str:code>/<int:year>/", views.public_report, name="disclosure_report_page"),
    path("<str:code>/<int:year>.pdf", views.public_report, {"fmt": "pdf"}, name="disclosure_report_pdf"),
    path("<str:code>/<int:year>.json", views.public_report, {"fmt": "json"}, name="disclosure_report_json"),
]
