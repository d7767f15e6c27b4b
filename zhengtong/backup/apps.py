from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "zhengtong.backup"
    label = "zt_backup"
    verbose_name = _("备份与恢复")

    def ready(self) -> None:
        from zhengtong.backup import checks  # noqa: F401  (registers the platform checks)
