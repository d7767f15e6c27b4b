from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "zhengtong.disclosure"
    label = "zt_disclosure"
    verbose_name = _("信息公开")

    def ready(self) -> None:
        from zhengtong.disclosure import checks  # noqa: F401  (registers the ./zt check entries)
