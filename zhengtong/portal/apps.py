from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "zhengtong.portal"
    label = "portal"
    verbose_name = _("政府网站群")

    def ready(self) -> None:
        from zhengtong.portal import signals  # noqa: F401
