from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "zhengtong.casework"
    label = "zt_casework"
    verbose_name = _("办件")

    def ready(self) -> None:
        from zhengtong.casework import checks, signals  # noqa: F401  (receivers and self-checks)
