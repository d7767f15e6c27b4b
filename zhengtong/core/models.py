"""Organisations, staff users and the worker heartbeat."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A government body: the county government, a department or a township.

    ``code`` is the 机关代字 used later in document numbers (木政发〔2015〕12号),
    so it is unique and kept short.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("部门")
        TOWNSHIP = "township", _("乡镇")

    name = models.CharField(_("全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    code = models.CharField(
        _("机关代字"),
        max_length=10,
        unique=True,
        help_text=_("用于发文字号，如“木政”“木政办”。"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=50, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name

    def is_ancestor_of(self, other: "Organisation | None") -> bool:
        """True when ``other`` is this organisation or lies below it."""
        seen = set()
        while other is not None and other.pk not in seen:
            if other.pk == self.pk:
                return True
            seen.add(other.pk)
            other = other.parent
        return False


class User(AbstractUser):
    """A staff member. Citizens do not have accounts here."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("办公电话"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username


class WorkerHeartbeat(models.Model):
    """Last time a worker ran its heartbeat job; /healthz reads it."""

    worker = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("后台任务心跳")
        verbose_name_plural = _("后台任务心跳")

    def __str__(self) -> str:
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
