from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "zhengtong.interaction"
    label = "zt_interaction"
    verbose_name = _("政民互动")

    def ready(self) -> None:
        from zhengtong.interaction import signals  # noqa: F401  (receivers)
