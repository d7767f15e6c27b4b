"""How urgent a case is, for the yellow/red marks in every list and the supervision view (督办)."""

import calendar
from datetime import date

from django.utils.translation import gettext_lazy as _

from zhengtong.casework.workflow import CaseState, Status
from zhengtong.core.workdays import workdays_between

NORMAL = "normal"
SOON = "soon"  # yellow: few working days left
OVERDUE = "overdue"  # red: past the due date and not answered
PAUSED = "paused"
ON_TIME = "on_time"
LATE = "late"

LABELS = {
    NORMAL: _("正常"),
    SOON: _("即将到期"),
    OVERDUE: _("已超期"),
    PAUSED: _("暂停计时"),
    ON_TIME: _("按时答复"),
    LATE: _("超期答复"),
}

# 政府网站与政务新媒体检查指标 (2019): a valid message left unanswered for more than 3 months is a veto.
VETO_MONTHS = 3


def urgency(state: CaseState, today: date, warn_days: int = 2) -> str:
    """NORMAL, SOON, OVERDUE or PAUSED for an open case; ON_TIME or LATE once answered or closed."""
    clock = state.clock()
    if clock is None:
        return NORMAL
    due = clock.due.date if clock.due else None
    return mark(due, state.replied_on or state.closed_on, clock.paused, today, warn_days)


def mark(due: date | None, answered: date | None, paused: bool, today: date, warn_days: int = 2) -> str:
    """The rule behind ``urgency``, on plain values (lists use the fields kept on each case)."""
    if answered is not None:
        return ON_TIME if due is None or answered <= due else LATE
    if paused:
        return PAUSED
    if due is None:
        return NORMAL
    if today > due:
        return OVERDUE
    if workdays_between(today, due) <= warn_days:
        return SOON
    return NORMAL


def veto_cutoff(today: date) -> date:
    """Open cases received before this day have waited more than three months (for list and check queries)."""
    return add_months(today, -VETO_MONTHS)


def unanswered_too_long(state: CaseState, today: date) -> bool:
    """Whether an open case has waited more than three months for its answer (the inspection veto)."""
    if state.received_on is None or state.status not in Status.OPEN:
        return False
    return today > add_months(state.received_on, VETO_MONTHS)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day (31 Jan → 30 Apr)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
