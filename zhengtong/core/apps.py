from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CoreConfig(AppConfig):
    name = "zhengtong.core"
    label = "core"
    verbose_name = _("组织与人员")


class StaffUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "zhengtong.accounts.viewsets.UserViewSet"  # core staff fields + role rules
