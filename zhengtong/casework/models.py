"""Cases and their timelines.

``CaseEvent`` rows are the record; the status, responsible organisation, handler, due date and
outcome on ``Case`` are derived from them by ``services.record_event`` (``workflow.replay``) and kept
on the case only so lists can filter and sort on them. Applicants' personal data lives in
``Applicant``, through the platform's personal-data field.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.casework.codes import format_code
from zhengtong.casework.storage import get_private_storage
from zhengtong.casework.workflow import Event, Status
from zhengtong.privacy.fields import BlindIndexField, PersonalDataField
from zhengtong.privacy.validators import validate_uscc


class Channel(models.TextChoices):
    WEB = "web", _("网站")
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("当面")
    POST = "post", _("信函")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    API = "api", _("接口")


class Case(models.Model):
    code = models.CharField(_("查询码"), max_length=12, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=30, db_index=True)
    category = models.CharField(_("类别"), max_length=30, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)

    # Derived from the timeline (services.record_event); never edited by hand.
    received_on = models.DateField(_("收到日期"), null=True, db_index=True)  # day 0 of the clock
    status = models.CharField(
        _("状态"), max_length=20, choices=list(Status.LABELS.items()), default=Status.RECEIVED, db_index=True
    )
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )
    limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=0)
    due_on = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    paused = models.BooleanField(_("暂停计时"), default=False)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=40, blank=True)
    rating = models.CharField(_("评价"), max_length=20, blank=True)
    reopened = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    supervised = models.BooleanField(_("督办"), default=False)
    # The writer agreed that the letter may appear (masked) in the public letters list; staff still choose.
    publish_consent = models.BooleanField(_("同意公开"), default=False)

    # Second check of a public lookup when no phone was given: a password hash, never the password.
    lookup_password = models.CharField(max_length=128, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_cases",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        indexes = [models.Index(fields=["kind", "status", "due_on"]), models.Index(fields=["organisation", "status"])]
        permissions = [
            ("supervise_case", _("督办（查看所有单位的办件）")),
            ("review_case_reply", _("审核答复")),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} {self.subject}"

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def kind_label(self) -> str:
        from zhengtong.casework.kinds import get_kind

        return str(get_kind(self.kind).label)

    @property
    def status_label(self) -> str:
        """The status in the channel's own words (the hotline's 已派单 for 办理中)."""
        from zhengtong.casework.kinds import get_kind

        return get_kind(self.kind).status_label(self.status)

    @property
    def category_label(self) -> str:
        from zhengtong.casework.kinds import get_kind

        return str(get_kind(self.kind).categories.get(self.category, self.category))


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=20, choices=list(Event.LABELS.items()))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # The calendar day the event counts from (receipt day, pause day …): usually the day of ``at``, but
    # a letter signed for by post counts from the signing day (政府信息公开条例 第31条).
    day = models.DateField(_("计时日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("操作人（非工作人员）"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    days = models.PositiveSmallIntegerField(_("工作日数"), default=0)
    outcome = models.CharField(_("结果"), max_length=40, blank=True)
    rating = models.CharField(_("评价"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Shown to the applicant in a lookup (receipt, reply, closure), or internal (notes, reminders).
    public = models.BooleanField(_("申请人可见"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办件记录")
        verbose_name_plural = _("办件记录")

    def __str__(self) -> str:
        return f"{self.case.display_code} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def rating_label(self) -> str:
        from zhengtong.casework.workflow import Rating

        return str(Rating.LABELS.get(self.rating, self.rating))

    @property
    def outcome_label(self) -> str:
        from zhengtong.casework.workflow import CallBack

        return str(CallBack.LABELS.get(self.outcome, "")) if self.kind == Event.CALLED_BACK else ""

    @property
    def counts_from_another_day(self) -> bool:
        """Whether the clock counts this event from a day other than the day it was recorded."""
        return self.day != timezone.localdate(self.at)


def attachment_path(instance: "CaseAttachment", filename: str) -> str:
    """A stored name that says nothing about the case or the person: a random token and the checked type."""
    from django.utils.crypto import get_random_string

    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    now = timezone.now()
    return f"cases/{now:%Y/%m}/{get_random_string(32)}.{extension}"


class CaseAttachment(models.Model):
    """A file attached to a timeline event; public with the event (the reply's attachments), else internal."""

    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), storage=get_private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("办件附件")
        verbose_name_plural = _("办件附件")

    def __str__(self) -> str:
        return self.original_name


class Applicant(models.Model):
    """Who sent the case. Personal data only through the platform's encrypted, masked fields (GB/T 39786-2021).

    The kinds follow table 三 of the disclosure annual report (国办公开办函〔2021〕30号), so disclosure
    applications can be counted by them.
    """

    class Kind(models.TextChoices):
        NATURAL = "natural", _("自然人")
        COMMERCIAL = "commercial", _("商业企业")
        RESEARCH = "research", _("科研机构")
        CHARITY = "charity", _("社会公益组织")
        LEGAL_SERVICE = "legal_service", _("法律服务机构")
        OTHER = "other", _("其他组织")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="applicant")
    kind = models.CharField(_("申请人类型"), max_length=20, choices=Kind.choices, default=Kind.NATURAL)
    name = PersonalDataField(_("姓名或名称"), kind="name")
    # Resident ID of a natural person (GB 11643 check digit validated by the field).
    id_number = PersonalDataField(_("身份证号码"), kind="id_number", blank=True)
    # Unified social credit code of an organisation (GB 32100): public business data, not personal data.
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    contact = PersonalDataField(_("联系人"), kind="name", blank=True)
    phone = PersonalDataField(_("联系电话"), kind="phone", blank=True)
    phone_index = BlindIndexField(source="phone")
    email = PersonalDataField(_("电子邮箱"), kind="email", blank=True)
    address = PersonalDataField(_("通信地址"), kind="address", blank=True)

    class Meta:
        verbose_name = _("来信人/申请人")
        verbose_name_plural = _("来信人/申请人")

    def __str__(self) -> str:
        return str(self.name)  # masked

    @property
    def is_organisation(self) -> bool:
        return self.kind != self.Kind.NATURAL
