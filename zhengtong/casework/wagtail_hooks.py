from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from zhengtong.casework import admin_urls


@hooks.register("register_admin_urls")
def register_case_urls():
    return [path("cases/", include(admin_urls))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_case_menu():
    return PermissionMenuItem(
        _("办件"), reverse("casework_index"), icon_name="mail", order=240, permission="zt_casework.view_case"
    )


@hooks.register("register_admin_menu_item")
def register_hotline_menu():
    return PermissionMenuItem(
        _("县长专线工单台"), reverse("casework_hotline"), icon_name="mail", order=242, permission="zt_casework.add_case"
    )


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    return PermissionMenuItem(
        _("督办"),
        reverse("casework_supervision"),
        icon_name="warning",
        order=245,
        permission="zt_casework.supervise_case",
    )
