"""Organisations, staff users, the working-day calendar and the worker heartbeat."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


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


class CalendarYear(ClusterableModel):
    """One year's official holiday schedule (国务院办公厅 notice), entered as a whole.

    A year without a row is unknown: deadlines reaching it are provisional (``zhengtong.core.workdays``).
    Only the exceptions are stored: public holidays that fall on weekdays matter, but so do the
    make-up working days (调休) on weekends; ordinary weekdays work and weekends rest.
    """

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar 软件包")
        FILE = "file", _("文件导入")
        ADMIN = "admin", _("管理后台录入")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.ADMIN)
    notice = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：国办发明电〔2025〕7号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        # Called by the admin form only: a year edited by hand is no longer the package's or the file's.
        self.source = self.Source.ADMIN


class CalendarDay(models.Model):
    """A day whose status differs from the weekday rule: a holiday, or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休息（节假日）")
        WORKDAY = "workday", _("上班（调休）")

    calendar_year = ParentalKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如：春节、国庆节调休"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日与调休日")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        try:
            year = self.calendar_year.year  # in the admin form the year may not be saved yet
        except CalendarYear.DoesNotExist:
            return
        if self.date and year and self.date.year != year:
            raise ValidationError({"date": _("日期不在 %(year)s 年内。") % {"year": year}})
