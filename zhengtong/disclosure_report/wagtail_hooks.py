"""Admin wiring: 信息公开 → 年度报告, and the dashboard reminder of reports due (政府信息公开条例 第49、50条)."""

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from zhengtong.disclosure.wagtail_hooks import SUBMENU_HOOK as DISCLOSURE_MENU_HOOK  # the 信息公开 menu
from zhengtong.disclosure_report import admin_urls, services


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("zt_disclosure_report.change_annualreport")


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("disclosure-report/", include(admin_urls))]


@hooks.register(DISCLOSURE_MENU_HOOK)
def register_report_menu_item():
    return ReportMenuItem(_("年度报告"), reverse("disclosure_report_index"), icon_name="table", order=900)


class ReportDeadlinePanel(Component):
    """Organisations whose report for last year is not published yet, with the days left or overdue."""

    template_name = "disclosure_report/admin/deadline_panel.html"
    order = 20

    def __init__(self, reminders: list):
        self.reminders = reminders

    def get_context_data(self, parent_context=None):
        return {"reminders": self.reminders, "overdue": any(r.overdue for r in self.reminders)}


@hooks.register("construct_homepage_panels")
def add_report_deadline_panel(request, panels):
    organisations = services.editable_organisations(request.user)
    if not organisations.exists():
        return
    reminders = services.reminders(timezone.localdate(), organisations)
    if reminders:
        panels.insert(0, ReportDeadlinePanel(reminders))
