from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CoreConfig(AppConfig):
    default = True  # apps.py holds a second config (the users app), so name the default
    name = "zhengtong.core"
    label = "core"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from zhengtong.core import checks, signals  # noqa: F401  (registers receivers and self-checks)


class StaffUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "zhengtong.accounts.viewsets.UserViewSet"  # core staff fields + role rules
    group_viewset = "zhengtong.accounts.viewsets.GroupViewSet"  # the three administrator roles are fixed
