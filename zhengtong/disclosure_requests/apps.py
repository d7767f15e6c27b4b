from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureRequestsConfig(AppConfig):
    name = "zhengtong.disclosure_requests"
    label = "zt_disclosure_requests"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from zhengtong.disclosure_requests import kinds, letters  # noqa: F401  (the case kind; the letter receiver)
