"""Automatic reminders (催办) before a case's due date and supervision (督办) once it is overdue.

Run by the worker (``tasks.remind_and_escalate``, listed in ``ZT_PERIODIC_TASKS``) many times a day, so
both steps are idempotent: at most one automatic reminder per case per working day, and one automatic
supervision per case (a case already supervised, by hand or by the system, is not supervised again).
The thresholds are the deadline marks of every list (``deadlines.mark``: yellow within the kind's
``warn_days``, red past the due date); the counting is the working-day clock's. Paused cases are not
reminded. The events go on the timeline like any other, and ``case_event_recorded`` tells the people
concerned (``zhengtong.notifications``).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.casework import deadlines, services
from zhengtong.casework.kinds import all_kinds, get_kind
from zhengtong.casework.models import Case
from zhengtong.casework.workflow import Event, Status
from zhengtong.core.workdays import add_workdays, is_workday, workdays_between

SYSTEM_ACTOR = "系统"


@dataclass
class Outcome:
    reminded: int = 0
    supervised: int = 0


def _reminded_today(case: Case, today: date) -> bool:
    return case.events.filter(kind=Event.REMINDED, actor__isnull=True, actor_label=SYSTEM_ACTOR, day=today).exists()


def remind_and_escalate(today: date | None = None) -> Outcome:
    """Remind open cases turning yellow and supervise overdue ones; returns how many of each."""
    today = today or timezone.localdate()
    outcome = Outcome()
    if not is_workday(today):
        return outcome  # nobody reads a reminder on a holiday; Monday's run sends it
    widest = max((kind.warn_days for kind in all_kinds()), default=0)
    horizon = add_workdays(today, widest).date
    candidates = (
        Case.objects.filter(status__in=Status.OPEN, paused=False, due_on__isnull=False, due_on__lte=horizon)
        .exclude(due_on__lt=today, supervised=True)  # overdue and already supervised: nothing left to do
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    for pk in candidates.iterator(chunk_size=500):
        step = _step(pk, today)
        if step == Event.REMINDED:
            outcome.reminded += 1
        elif step == Event.SUPERVISED:
            outcome.supervised += 1
    return outcome


def _step(pk: int, today: date) -> str | None:
    with transaction.atomic():
        # Locked, so two workers running the job at once cannot both remind the same case.
        case = Case.objects.select_for_update().filter(pk=pk, status__in=Status.OPEN, paused=False).first()
        if case is None or case.due_on is None:
            return None
        mark = deadlines.mark(case.due_on, None, case.paused, today, get_kind(case.kind).warn_days)
        if mark == deadlines.OVERDUE:
            if case.supervised:
                return None
            note = _("已超过办理期限（%(due)s），系统自动督办，请尽快答复。") % {"due": case.due_on.isoformat()}
            services.record_event(case, Event.SUPERVISED, actor_label=SYSTEM_ACTOR, day=today, note=note)
            return Event.SUPERVISED
        if mark == deadlines.SOON:
            if _reminded_today(case, today):
                return None
            left = workdays_between(today, case.due_on)
            note = (
                _("距办理期限还有 %(n)s 个工作日") % {"n": left}
                if left
                else _("今天是办理期限（%(due)s）") % {"due": case.due_on.isoformat()}
            )
            services.record_event(case, Event.REMINDED, actor_label=SYSTEM_ACTOR, day=today, note=note)
            return Event.REMINDED
    return None
