from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureReportConfig(AppConfig):
    name = "zhengtong.disclosure_report"
    label = "zt_disclosure_report"
    verbose_name = _("政府信息公开工作年度报告")

    def ready(self) -> None:
        from zhengtong.disclosure_report import checks  # noqa: F401  (registers the deadline check)
