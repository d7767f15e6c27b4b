"""Every message the platform sends or shows: to applicants by SMS and email, to staff in the admin and by email.

A ``Message`` is one message on one channel to one recipient. Phone numbers and email addresses are
personal data (encrypted at rest, masked when shown); the text itself carries no personal data beyond
the case code (templates in ``templates/notifications/``), so it is kept in plain text for the outbox.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.privacy.fields import PersonalDataField


class Message(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("电子邮件")
        INBOX = "inbox", _("站内通知")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # Staff recipient (站内通知, and the email copy); None for an applicant.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    phone = PersonalDataField(_("手机号码"), kind="phone", blank=True)
    email = PersonalDataField(_("电子邮箱"), kind="email", blank=True)
    template = models.CharField(_("模板"), max_length=60)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    case = models.ForeignKey(
        "zt_casework.Case",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    backend = models.CharField(_("发送方式"), max_length=200, blank=True)
    provider_id = models.CharField(_("服务商编号"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["user", "channel", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient_display} {self.subject}"

    @property
    def recipient_display(self) -> str:
        """Masked: the phone or email, or the staff member's name."""
        if self.channel == self.Channel.SMS:
            return str(self.phone)
        if self.channel == self.Channel.EMAIL and self.email:
            return str(self.email)
        return str(self.user) if self.user else ""
