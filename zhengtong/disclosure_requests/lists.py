"""The disclosure office's lists: the kernel's cases of kind "disclosure" with the application's columns."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhengtong.casework import access, deadlines
from zhengtong.casework.workflow import Status
from zhengtong.core.workdays import add_workdays, workdays_between
from zhengtong.disclosure_requests.kinds import CORRECTION_NOTICE_DAYS, DISCLOSURE

DUE_SOON = "due_soon"
OVERDUE = "overdue"
PAUSED = "paused"
CORRECTIONS = "corrections"
NOTICE = "notice"  # not yet screened: the 7-wd correction notice window is running
OPEN = "open"
ANSWERED = "answered"

LABELS = {
    DUE_SOON: _("即将到期"),
    OVERDUE: _("已超期"),
    PAUSED: _("征求意见（暂停计时）"),
    CORRECTIONS: _("待补正"),
    NOTICE: _("待审核（补正通知须在 7 个工作日内发出）"),
    OPEN: _("全部在办"),
    ANSWERED: _("已办结（按办理结果）"),
}


def base(user) -> QuerySet:
    return (
        access.visible_cases(user)
        .filter(kind=DISCLOSURE.code)
        .select_related("organisation", "handler", "disclosure_request", "applicant")
    )


def _soon_cutoff(today: date) -> date:
    return add_workdays(today, DISCLOSURE.warn_days).date


def queryset(user, which: str, today: date, *, outcome: str = "") -> QuerySet:
    cases = base(user)
    open_cases = cases.filter(status__in=Status.OPEN)
    if which == DUE_SOON:
        return open_cases.filter(paused=False, due_on__gte=today, due_on__lte=_soon_cutoff(today)).order_by("due_on")
    if which == OVERDUE:
        return open_cases.filter(paused=False, due_on__lt=today).order_by("due_on")
    if which == PAUSED:
        return open_cases.filter(
            paused=True,
            disclosure_request__consultation_started_on__isnull=False,
            disclosure_request__consultation_ended_on__isnull=True,
        ).order_by("disclosure_request__consultation_due_on")
    if which == CORRECTIONS:
        return open_cases.filter(
            disclosure_request__correction_requested_on__isnull=False, disclosure_request__corrected_on__isnull=True
        ).order_by("disclosure_request__correction_due_on")
    if which == NOTICE:
        return (
            open_cases.filter(status=Status.RECEIVED)
            .filter(Q(disclosure_request__isnull=True) | Q(disclosure_request__correction_requested_on__isnull=True))
            .order_by("received_on")
        )
    if which == ANSWERED:
        answered = cases.exclude(status__in=Status.OPEN)
        return (answered.filter(outcome=outcome) if outcome else answered).order_by("-replied_on", "-closed_on")
    return open_cases.order_by("due_on")


def rows(user, which: str, today: date, *, outcome: str = "") -> list[dict]:
    result = []
    for case in queryset(user, which, today, outcome=outcome)[:200]:
        request = getattr(case, "disclosure_request", None)
        notice_due = add_workdays(case.received_on, CORRECTION_NOTICE_DAYS).date if case.received_on else None
        answered = case.replied_on or case.closed_on
        result.append(
            {
                "case": case,
                "request": request,
                "mark": deadlines.mark(case.due_on, answered, case.paused, today, DISCLOSURE.warn_days),
                "notice_due": notice_due,
                "notice_late": case.status == Status.RECEIVED and notice_due is not None and today > notice_due,
                "left": workdays_between(today, case.due_on) if case.due_on and not answered else None,
                "outcome": outcome_text(case.outcome),
            }
        )
    return result


def outcome_text(code: str) -> str:
    """The outcome in words (table 三's row), or the stored code when it is not one of them."""
    from zhengtong.disclosure_requests.letters import decision_text

    try:
        return decision_text(code) if code else ""
    except LookupError:
        return code


def counts(user, today: date) -> dict[str, int]:
    return {key: queryset(user, key, today).count() for key in (DUE_SOON, OVERDUE, PAUSED, CORRECTIONS, NOTICE)}
