from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "zhengtong.twofactor"
    label = "zt_twofactor"
    verbose_name = _("双因素认证")

    def ready(self) -> None:
        from zhengtong.twofactor import checks  # noqa: F401  (registers the system checks)
