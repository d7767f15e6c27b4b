from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "zhengtong.notifications"
    label = "zt_notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from zhengtong.notifications import checks, receivers  # noqa: F401  (case events, self-checks)
