from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "zhengtong.search"
    label = "zt_search"  # "search" would clash with Wagtail's own app label
    verbose_name = _("全文检索")

    def ready(self) -> None:
        from zhengtong.search import signals  # noqa: F401
