from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HardeningConfig(AppConfig):
    """Input and transport: security headers, upload checks, HTML sanitising, rate limits, ``./zt check``."""

    name = "zhengtong.hardening"
    label = "zt_hardening"
    verbose_name = _("安全加固")

    def ready(self) -> None:
        from zhengtong.hardening import checks, sanitise  # noqa: F401  (registers the checks)

        sanitise.connect_rich_text_fields()
