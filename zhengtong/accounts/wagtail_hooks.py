from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from zhengtong.accounts import urls


@hooks.register("register_admin_urls")
def register_security_urls():
    return [path("security/", include((urls.urlpatterns, urls.app_name), namespace="zt_accounts"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm(self.permission)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return PermissionMenuItem(
        _("锁定的账号"),
        reverse("zt_accounts:lockouts"),
        icon_name="lock",
        order=610,
        permission="zt_accounts.unlock_account",
    )


@hooks.register("register_settings_menu_item")
def register_roles_menu_item():
    return PermissionMenuItem(
        _("角色分配"), reverse("zt_accounts:roles"), icon_name="group", order=620, permission="zt_accounts.assign_roles"
    )


@hooks.register("register_account_menu_item")
def register_password_account_item(request):
    return {"url": reverse("zt_accounts:password"), "label": _("修改密码"), "help_text": _("按密码策略修改登录密码。")}


@hooks.register("register_account_menu_item")
def register_sessions_account_item(request):
    return {"url": reverse("zt_accounts:sessions"), "label": _("我的登录会话"), "help_text": _("查看并结束登录会话。")}
