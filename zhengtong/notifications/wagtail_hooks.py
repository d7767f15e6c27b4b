from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from zhengtong.notifications import admin_urls
from zhengtong.notifications.services import unread_count


@hooks.register("register_admin_urls")
def register_notification_urls():
    return [path("notifications/", include(admin_urls))]


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("zt_notifications.view_message")


@hooks.register("register_admin_menu_item")
def register_notification_menu():
    return SubmenuMenuItem(
        _("通知"),
        Menu(
            items=[
                MenuItem(_("我的通知"), reverse("notifications_inbox"), icon_name="mail", order=10),
                OutboxMenuItem(
                    _("发送记录（短信发件箱）"), reverse("notifications_outbox"), icon_name="list-ul", order=20
                ),
            ]
        ),
        icon_name="mail",
        order=250,
    )


class UnreadNoticesPanel(Component):
    template_name = "notifications/admin/dashboard_panel.html"
    order = 20

    def __init__(self, unread: int):
        self.unread = unread

    def get_context_data(self, parent_context=None):
        return {"unread": self.unread}


@hooks.register("construct_homepage_panels")
def add_unread_notices_panel(request, panels):
    unread = unread_count(request.user)
    if unread:
        panels.insert(0, UnreadNoticesPanel(unread))
