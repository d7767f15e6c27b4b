"""An application for government information (依申请公开) beside its ``casework.Case``, and its portal page.

The case carries the applicant, the timeline, the clock and the outcome; ``DisclosureRequest`` adds what the
政府信息公开条例 asks of an application (第29条: the description of the information, the form and way of
provision) and the notices the office gives on it (the correction notice and the time given to correct, the
third-party consultation). The clock itself stays on the kernel's events.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from zhengtong.portal.models import OneQueryRestrictionsMixin


class DisclosureRequest(models.Model):
    class Form(models.TextChoices):
        PAPER = "paper", _("纸质")
        EMAIL = "email", _("电子邮件")
        DISC = "disc", _("光盘")
        OTHER = "other", _("其他")

    class Obtain(models.TextChoices):
        POST = "post", _("邮寄")
        PICK_UP = "pick_up", _("自行领取")
        EMAIL = "email", _("电子邮件")
        DOWNLOAD = "download", _("网上下载")

    case = models.OneToOneField("zt_casework.Case", on_delete=models.CASCADE, related_name="disclosure_request")
    # 政府信息公开条例 第29条第二款第（二）项
    description = models.TextField(_("所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述"))
    # 第29条第二款第（三）项
    provision_form = models.CharField(_("政府信息的提供形式"), max_length=10, choices=Form.choices, default=Form.EMAIL)
    obtain_method = models.CharField(
        _("获取政府信息的方式"), max_length=10, choices=Obtain.choices, default=Obtain.DOWNLOAD
    )
    fee_exemption = models.BooleanField(
        _("申请减免费用"), default=False, help_text=_("第四十二条：行政机关依申请提供政府信息，不收取费用。")
    )
    # The 补正 notice (第30条): one time, with what to correct and by when.
    correction_requested_on = models.DateField(_("补正通知日期"), null=True, blank=True)
    correction_text = models.TextField(_("补正要求"), blank=True)
    correction_due_on = models.DateField(_("补正期限"), null=True, blank=True)
    corrected_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    # Consultation of a third party or another agency (第32、34条).
    consulted = models.CharField(_("征求意见对象"), max_length=200, blank=True)
    consultation_started_on = models.DateField(_("征求意见日期"), null=True, blank=True)
    consultation_due_on = models.DateField(_("征求意见期限"), null=True, blank=True)
    consultation_ended_on = models.DateField(_("收到意见日期"), null=True, blank=True)
    # For 已公开 (第36条第（一）项) and 部分公开: where the information can be found.
    where_public = models.CharField(_("已公开信息的获取途径"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        permissions = [("approve_extension", _("批准延期答复（信息公开工作机构负责人）"))]

    def __str__(self) -> str:
        return str(self.case)

    @property
    def correction_pending(self) -> bool:
        return self.correction_requested_on is not None and self.corrected_on is None

    @property
    def consultation_pending(self) -> bool:
        return self.consultation_started_on is not None and self.consultation_ended_on is None


class DisclosureApplicationPage(OneQueryRestrictionsMixin, RoutablePageMixin, Page):
    """依申请公开 in an organisation's 信息公开 section: apply, receipt, look up, withdraw, download the reply."""

    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="+"
    )
    intro = models.TextField(_("说明"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("organisation"), FieldPanel("intro")]
    parent_page_types = ["zt_disclosure.DisclosureSectionPage"]
    subpage_types: list[str] = []
    template = "disclosure_requests/page.html"

    class Meta:
        verbose_name = _("依申请公开")

    @path("")
    def index(self, request):
        from zhengtong.disclosure_requests import views

        return views.index(self, request)

    @path("apply/", name="apply")
    def apply(self, request):
        from zhengtong.disclosure_requests import views

        return views.apply(self, request)

    @path("receipt/", name="receipt")
    def receipt(self, request):
        from zhengtong.disclosure_requests import views

        return views.receipt(self, request)

    @path("lookup/", name="lookup")
    def lookup(self, request):
        from zhengtong.disclosure_requests import views

        return views.lookup(self, request)

    @path("track/<int:pk>/", name="track")
    def track(self, request, pk):
        from zhengtong.disclosure_requests import views

        return views.track(self, request, pk)
