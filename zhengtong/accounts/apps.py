from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhengtong.accounts"
    label = "zt_accounts"
    verbose_name = _("账号安全")

    def ready(self) -> None:
        from zhengtong.accounts import checks, signals  # noqa: F401  (registers the checks and receivers)
