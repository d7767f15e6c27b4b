"""The annual report's rules: what a report contains, who may edit it, publication, and the statutory deadlines.

Views, the admin, the command and the self-check all call these functions.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit.services import record as audit
from zhengtong.disclosure_report import tables
from zhengtong.disclosure_report.models import AnnualReport

SNAPSHOT_VERSION = 1


class PublishRefused(ValueError):
    """Publication refused; the message says why, in Chinese, for the page."""


def column_label(column: str) -> str:
    from zhengtong.disclosure_report.output import COLUMN_LABELS

    return str(COLUMN_LABELS[column])


def format_fee(amount) -> str:
    """万元 with at least two decimals and at most four (the model's precision): "12.50", "0.0350"."""
    text = f"{Decimal(amount or 0):.4f}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return text


def title(organisation_name: str, year: int) -> str:
    return _("%(org)s%(year)s年政府信息公开工作年度报告") % {"org": organisation_name, "year": year}


def live_data(report: AnnualReport, three: tables.TableThree | None = None) -> dict:
    """The report as it stands now: the office's texts and figures, table 三 computed from the applications."""
    three = three or tables.table_three(report.organisation, report.year)
    two = tables.table_two(report)
    two["fee_amount"] = format_fee(two["fee_amount"])
    return {
        "version": SNAPSHOT_VERSION,
        "organisation": {"name": report.organisation.name, "code": report.organisation.code},
        "year": report.year,
        "title": title(report.organisation.name, report.year),
        "sections": {
            "overview": report.overview,
            "problems": report.problems,
            "other_matters": report.other_matters,
        },
        "table_two": two,
        "table_three": three.cells,
        "table_four": tables.table_four(report),
        "published_at": None,
    }


def report_data(report: AnnualReport) -> dict:
    """What the report shows: the frozen snapshot once published, else the live figures."""
    if report.is_published and report.snapshot:
        return report.snapshot
    return live_data(report)


def publish(report: AnnualReport, actor) -> AnnualReport:
    """Publish ``report``, freezing its tables; raises PublishRefused (nothing changes) while 三 is inconsistent."""
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)
        if locked.is_published:
            raise PublishRefused(_("这份年度报告已经发布。"))
        three = tables.table_three(locked.organisation, locked.year)
        broken = three.broken_columns()
        if broken:
            # 国办公开办函〔2021〕30号: 一 + 二 = 三(七) + 四 in every column of table 三.
            names = "、".join(column_label(c) for c in broken)
            raise PublishRefused(
                _(
                    "表三“%(columns)s”列不平衡（本年新收 + 上年结转 ≠ 办理结果总计 + 结转下年度），不能发布。"
                    "请先核对这些申请的办理结果。"
                )
                % {"columns": names}
            )
        now = timezone.now()
        data = live_data(locked, three)
        data["published_at"] = timezone.localtime(now).isoformat()  # the signature date is the local day
        locked.snapshot = data
        locked.status = AnnualReport.Status.PUBLISHED
        locked.published_at = now
        locked.published_by = actor if actor is not None and actor.is_authenticated else None
        locked.save()
        audit(
            "disclosure_report.publish",
            actor=actor,
            obj=locked,
            detail={"organisation": locked.organisation.code, "year": locked.year},
        )
    return locked


def unpublish(report: AnnualReport, actor, reason: str) -> AnnualReport:
    """Take a published report back to draft for a correction (the reason goes to the audit trail)."""
    if not reason.strip():
        raise PublishRefused(_("撤回发布要写明原因。"))
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if not locked.is_published:
            raise PublishRefused(_("这份年度报告还没有发布。"))
        locked.status = AnnualReport.Status.DRAFT
        locked.snapshot = None
        locked.published_at = None
        locked.published_by = None
        locked.save()
        audit(
            "disclosure_report.unpublish",
            actor=actor,
            obj=locked,
            detail={"organisation": locked.organisation.code, "year": locked.year, "reason": reason.strip()},
        )
    return locked


def published_reports(organisation):
    """The organisation's published reports, newest first (for its disclosure section and the public list)."""
    return AnnualReport.objects.filter(organisation=organisation, status=AnnualReport.Status.PUBLISHED).order_by(
        "-year"
    )


# --- Who may edit which organisation's report ------------------------------------------------------------


def editable_organisations(user):
    """The organisations whose reports ``user`` may edit: all for a superuser or a user of no organisation,
    otherwise their own organisation and those below it."""
    from zhengtong.core.models import Organisation

    if not user.is_authenticated or not user.has_perm("zt_disclosure_report.change_annualreport"):
        return Organisation.objects.none()
    organisations = Organisation.objects.filter(is_active=True)
    if user.is_superuser or user.organisation_id is None:
        return organisations
    own = user.organisation
    return organisations.filter(pk__in=[o.pk for o in organisations if own.is_ancestor_of(o)])


# --- Deadlines (政府信息公开条例 第四十九条、第五十条) -----------------------------------------------------


def deadline(organisation, year: int) -> date:
    """When ``organisation``'s report for ``year`` must be public.

    政府信息公开条例 第四十九条: departments by 31 January; 第五十条: the people's government of the county
    (its disclosure office publishes it) by 31 March. Townships report to the county like departments do.
    """
    from zhengtong.core.models import Organisation

    if organisation.kind == Organisation.Kind.GOVERNMENT:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


@dataclass(frozen=True)
class Reminder:
    organisation: object
    year: int
    deadline: date
    days_left: int  # negative once overdue
    report: AnnualReport | None

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def reminders(today: date, organisations=None) -> list[Reminder]:
    """Organisations that have not published last year's report, with the days left to their deadline."""
    from zhengtong.core.models import Organisation

    year = today.year - 1
    if organisations is None:
        organisations = Organisation.objects.filter(is_active=True)
    reports = {r.organisation_id: r for r in AnnualReport.objects.filter(year=year)}
    result = []
    for organisation in organisations:
        report = reports.get(organisation.pk)
        if report is not None and report.is_published:
            continue
        due = deadline(organisation, year)
        result.append(Reminder(organisation, year, due, (due - today).days, report))
    return sorted(result, key=lambda r: (r.deadline, r.organisation.sort_order, r.organisation.name))
