from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from zhengtong.twofactor import admin_urls
from zhengtong.twofactor.views import is_security_admin


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("security/2fa/", include(admin_urls))]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("twofactor_status"),
        "label": gettext_lazy("双因素认证"),
        "help_text": gettext_lazy("查看绑定状态，重新生成恢复码，更换手机。"),
    }


class SecurityAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_security_admin(request.user)


@hooks.register("register_admin_menu_item")
def two_factor_users_menu():
    return SecurityAdminMenuItem(
        gettext_lazy("双因素认证管理"), reverse("twofactor_users"), icon_name="key", order=9000
    )
