"""Admin wiring: 信息公开 → 年度报告, and the dashboard reminder of reports due (政府信息公开条例 第49、50条)."""

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from zhengtong.disclosure_report import admin_urls, services

# The 信息公开 submenu: other disclosure screens (catalog, applications) add their items with
# @hooks.register("register_disclosure_menu_item").
DISCLOSURE_MENU_HOOK = "register_disclosure_menu_item"


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("zt_disclosure_report.change_annualreport")


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("disclosure-report/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_disclosure_menu():
    return SubmenuMenuItem(
        _("信息公开"), Menu(register_hook_name=DISCLOSURE_MENU_HOOK), name="disclosure", icon_name="doc-full", order=250
    )


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
