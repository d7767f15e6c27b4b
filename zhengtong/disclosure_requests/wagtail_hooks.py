from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from zhengtong.casework.wagtail_hooks import PermissionMenuItem
from zhengtong.disclosure_requests import admin_urls
from zhengtong.disclosure_requests.kinds import DISCLOSURE


@hooks.register("register_admin_urls")
def register_urls():
    return [path("disclosure-requests/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu():
    return PermissionMenuItem(
        gettext_lazy("依申请公开"),
        reverse("disclosure_requests_lists"),
        icon_name="doc-full",
        order=243,
        permission="zt_casework.view_case",
    )


@hooks.register("register_case_link")
def case_link(request, case):
    if case.kind != DISCLOSURE.code:
        return None
    return reverse("disclosure_requests_case", args=[case.pk]), _("信息公开申请（补正、征求意见、答复告知书）")
