from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zhengtong.audit"
    label = "zt_audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from zhengtong.audit import signals  # noqa: F401  (connects the receivers)
