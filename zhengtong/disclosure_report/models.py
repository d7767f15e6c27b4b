"""An organisation's 政府信息公开工作年度报告 for one year: the office's texts and entered figures, and at
publication a frozen snapshot of every table (so a published report never changes when old cases are edited)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def _count(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="disclosure_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2008)])

    # Sections 一, 五, 六 of the template: plain text, one paragraph a line.
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)

    # Table 二 (主动公开政府信息情况), 政府信息公开条例 第二十条.
    rules_made = _count(_("规章·本年制发件数"))
    rules_repealed = _count(_("规章·本年废止件数"))
    rules_in_force = _count(_("规章·现行有效件数"))
    normative_made = _count(_("行政规范性文件·本年制发件数"))
    normative_repealed = _count(_("行政规范性文件·本年废止件数"))
    normative_in_force = _count(_("行政规范性文件·现行有效件数"))
    licensing_decisions = _count(_("行政许可·本年处理决定数量"))
    penalty_decisions = _count(_("行政处罚·本年处理决定数量"))
    enforcement_decisions = _count(_("行政强制·本年处理决定数量"))
    fee_amount = models.DecimalField(
        _("行政事业性收费·本年收费金额（万元）"),
        max_digits=12,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )

    # Table 四 (政府信息公开行政复议、行政诉讼情况): 总计 is computed.
    review_upheld = _count(_("行政复议·结果维持"))
    review_corrected = _count(_("行政复议·结果纠正"))
    review_other = _count(_("行政复议·其他结果"))
    review_pending = _count(_("行政复议·尚未审结"))
    litigation_direct_upheld = _count(_("未经复议直接起诉·结果维持"))
    litigation_direct_corrected = _count(_("未经复议直接起诉·结果纠正"))
    litigation_direct_other = _count(_("未经复议直接起诉·其他结果"))
    litigation_direct_pending = _count(_("未经复议直接起诉·尚未审结"))
    litigation_after_review_upheld = _count(_("复议后起诉·结果维持"))
    litigation_after_review_corrected = _count(_("复议后起诉·结果纠正"))
    litigation_after_review_other = _count(_("复议后起诉·其他结果"))
    litigation_after_review_pending = _count(_("复议后起诉·尚未审结"))

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The whole report as published (``report.report_data``): what the public page, PDF and JSON show.
    snapshot = models.JSONField(_("发布时的报告内容"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "organisation__sort_order", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_disclosure_report_a_year")]
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        permissions = [("publish_annualreport", _("发布政府信息公开工作年度报告"))]

    def __str__(self) -> str:
        return f"{self.organisation.name}{self.year}年政府信息公开工作年度报告"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
