"""Audit records and the head of their chain.

A record is written only through ``zhengtong.audit.services.record()``, which computes its MAC over the
record's content and the previous record's MAC, so a change, a deletion or an insertion made in the
database by hand breaks the chain and ``./zt audit verify`` names it (GB/T 22239-2019 8.1.4.3 安全审计:
审计记录应受到保护，避免受到未预期的删除、修改或覆盖).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# 网络安全法 第21条: network logs are kept for at least six months; the platform never goes below this.
MINIMUM_RETENTION_DAYS = 180


class AuditRecordChangeRefused(Exception):
    """Raised when code tries to alter an audit record or delete one still within the retention period."""


def retention_days() -> int:
    """Days a record must be kept: ``ZT_AUDIT_RETENTION_DAYS``, never fewer than 180 (网络安全法 第21条)."""
    return max(MINIMUM_RETENTION_DAYS, int(getattr(settings, "ZT_AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)))


def retention_cutoff():
    """Records at or after this time are still within the retention period."""
    return timezone.now() - timedelta(days=retention_days())


def archived_boundary() -> int:
    """The sequence of the last record written to an archive file (0 while none was); see audit/archive.py."""
    return AuditChainHead.objects.filter(pk=1).values_list("base_sequence", flat=True).first() or 0


class AuditRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditRecordChangeRefused(_("审计记录不能修改。"))

    def delete(self):
        if self.filter(time__gt=retention_cutoff()).exists():
            raise AuditRecordChangeRefused(_("保存期内的审计记录不能删除。"))
        # Past the retention period a record is removed only once it is in a signed archive file
        # (./zt audit archive moves the boundary in the chain head, then deletes).
        if self.filter(sequence__gt=archived_boundary()).exists():
            raise AuditRecordChangeRefused(_("审计记录须先归档（./zt audit archive）才能删除。"))
        return super().delete()

    delete.queryset_only = True


class AuditRecord(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    sequence = models.BigIntegerField(_("序号"), unique=True)
    time = models.DateTimeField(_("时间"), db_index=True)
    # Foreign keys without database constraints and with DO_NOTHING: deleting a user or an organisation must
    # not rewrite audit rows (that would break the chain); the name is kept beside the id for that case.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    source_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_mac = models.CharField(_("上一条校验码"), max_length=64, blank=True)
    mac = models.CharField(_("校验码"), max_length=64)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-sequence"]
        # Only viewing exists; nobody, the superuser included, changes or deletes records through the admin.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.actor_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditRecordChangeRefused(_("审计记录不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.time > retention_cutoff():
            raise AuditRecordChangeRefused(_("保存期内的审计记录不能删除。"))
        if self.sequence > archived_boundary():
            raise AuditRecordChangeRefused(_("审计记录须先归档（./zt audit archive）才能删除。"))
        return super().delete(*args, **kwargs)


class AuditChainHead(models.Model):
    """The one row naming the chain's last record; moved in the same transaction as each appended record.

    ``base_sequence``/``base_mac`` name the last record removed after its retention period (0/"" while none
    was), so verification can start from the first record still present. Only ``./zt audit archive`` moves
    them, to the last record of a signed archive file in ``DATA_DIR/audit-archive``; verification checks that
    such a file backs the boundary.
    """

    sequence = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)
    base_sequence = models.BigIntegerField(default=0)
    base_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.sequence}"
