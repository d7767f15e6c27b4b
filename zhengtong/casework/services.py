"""Receiving cases and moving them along: the functions every channel's views, admin and API call."""

import logging
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit.services import record as audit
from zhengtong.casework.codes import new_code
from zhengtong.casework.kinds import get_kind
from zhengtong.casework.models import Applicant, Case, CaseEvent, Channel
from zhengtong.casework.signals import case_event_recorded, case_event_stored
from zhengtong.casework.workflow import CaseState, Event, EventValue, Status, TransitionError, replay

logger = logging.getLogger(__name__)

# Events the applicant sees in a lookup; the rest (assignment inside an office, drafts, reminders,
# notes) is the office's own business.
PUBLIC_EVENTS = {
    Event.RECEIVED,
    Event.ACCEPTED,
    Event.REJECTED,
    Event.ROUTED,
    Event.TRANSFERRED,
    Event.PAUSED,
    Event.RESUMED,
    Event.EXTENDED,
    Event.RESTARTED,
    Event.REPLIED,
    Event.CLOSED,
    Event.REOPENED,
    Event.RATED,
    Event.WITHDRAWN,
}
# Decisions on a case go to the audit trail (GB/T 22239-2019 8.1.4.3; DOMAIN.md §6: case decisions).
AUDITED_EVENTS = {
    Event.ACCEPTED,
    Event.REJECTED,
    Event.ROUTED,
    Event.TRANSFERRED,
    Event.EXTENDED,
    Event.REPLIED,
    Event.CLOSED,
    Event.REOPENED,
    Event.WITHDRAWN,
}


def _value(event: CaseEvent) -> EventValue:
    return EventValue(
        kind=event.kind,
        day=event.day,
        organisation_id=event.organisation_id,
        handler_id=event.handler_id,
        days=event.days,
        outcome=event.outcome,
        rating=event.rating,
    )


def state_of(case: Case) -> CaseState:
    """The case's state replayed from its timeline."""
    kind = get_kind(case.kind)
    # Sorted here rather than by the database, so a prefetch (refresh_deadlines) serves every case.
    events = sorted(case.events.all(), key=lambda e: (e.at, e.id))
    return replay((_value(e) for e in events), reopen_limit=kind.reopen_limit, review_reply=kind.review_reply)


def _apply_state(case: Case, state: CaseState) -> None:
    clock = state.clock()
    case.status = state.status or Status.RECEIVED
    case.received_on = state.received_on
    case.organisation_id = state.organisation_id
    case.handler_id = state.handler_id
    case.limit_days = clock.limit if clock else state.limit
    case.due_on = clock.due.date if clock and clock.due else None
    case.due_provisional = bool(clock and clock.due and clock.due.provisional)
    case.paused = state.paused
    case.replied_on = state.replied_on
    case.closed_on = state.closed_on
    case.outcome = state.outcome
    case.rating = state.rating
    case.reopened = state.reopened
    case.supervised = state.supervised


def submit(
    kind: str,
    *,
    subject: str,
    content: str,
    organisation,
    category: str = "",
    channel: str = Channel.WEB,
    received_at: datetime | None = None,
    received_on: date | None = None,
    actor=None,
    actor_label: str = "",
    lookup_password: str = "",
    applicant: dict | None = None,
    publish_consent: bool = False,
) -> Case:
    """Register a new case with its receipt event; the whole case or nothing (one transaction).

    ``received_on`` is the statutory receipt day when it differs from the day of entry (a letter signed
    for by post); the clock counts from it as day 0. ``applicant`` holds ``Applicant`` field values
    (plain text; they are encrypted on save and validated: ID number check digit, credit code).
    """
    from django.contrib.auth.hashers import make_password

    policy = get_kind(kind)
    received_at = received_at or timezone.now()
    received_on = received_on or timezone.localdate(received_at)
    limit = policy.limit_for(category or policy.default_limit)
    code = new_code()
    while Case.objects.filter(code=code).exists():  # 53 random bits: practically never loops
        code = new_code()
    with transaction.atomic():
        case = Case.objects.create(
            code=code,
            kind=kind,
            category=category,
            subject=subject,
            content=content,
            channel=channel,
            received_at=received_at,
            organisation=organisation,
            limit_days=limit,
            lookup_password=make_password(lookup_password) if lookup_password else "",
            created_by=actor if actor is not None and actor.is_authenticated else None,
            publish_consent=publish_consent,
        )
        if applicant:
            person = Applicant(case=case, **applicant)
            person.full_clean(exclude=["case"])
            person.save()
        _add_event(
            case,
            EventValue(Event.RECEIVED, received_on, organisation_id=organisation.pk, days=limit),
            at=received_at,
            actor=actor,
            actor_label=actor_label,
        )
        audit("case.receive", actor=actor, obj=case, detail={"kind": kind, "channel": channel})
    return case


def record_event(
    case: Case,
    kind: str,
    *,
    actor=None,
    actor_label: str = "",
    day: date | None = None,
    organisation=None,
    handler=None,
    days: int = 0,
    outcome: str = "",
    rating: str = "",
    note: str = "",
    public: bool | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Append one event to the case's timeline and bring the case's derived fields up to date.

    ``at`` is when it happened (default now; earlier only for records entered afterwards, such as the
    demo's timelines); ``day`` the day it counts from (default the day of ``at``). Raises
    ``workflow.TransitionError`` (a Chinese message for the page) when the event cannot happen now; then
    nothing is stored.
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        outcome = check_policy(locked, kind, actor=actor, days=days, outcome=outcome)
        value = EventValue(
            kind=kind,
            day=day or timezone.localdate(at),
            organisation_id=organisation.pk if organisation is not None else None,
            handler_id=handler.pk if handler is not None else None,
            days=days,
            outcome=outcome,
            rating=rating,
        )
        event = _add_event(locked, value, at=at, actor=actor, actor_label=actor_label, note=note, public=public)
        if kind in AUDITED_EVENTS:
            detail = {"event": kind, "outcome": outcome} if outcome else {"event": kind}
            audit(f"case.{kind}", actor=actor, obj=locked, detail=detail)
        case_event_stored.send(sender=CaseEvent, event=event)
    case.refresh_from_db()
    return event


def _add_event(
    case: Case,
    value: EventValue,
    *,
    at: datetime | None = None,
    actor=None,
    actor_label: str = "",
    note: str = "",
    public: bool | None = None,
) -> CaseEvent:
    policy = get_kind(case.kind)
    previous = [_value(e) for e in case.events.order_by("at", "id")]
    # Raises before anything is written.
    state = replay([*previous, value], reopen_limit=policy.reopen_limit, review_reply=policy.review_reply)
    event = CaseEvent.objects.create(
        case=case,
        kind=value.kind,
        at=at or timezone.now(),
        day=value.day,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label,
        organisation_id=value.organisation_id,
        handler_id=value.handler_id,
        days=value.days,
        outcome=value.outcome,
        rating=value.rating,
        note=note,
        public=value.kind in PUBLIC_EVENTS if public is None else public,
    )
    _apply_state(case, state)
    case.save()
    transaction.on_commit(lambda: _announce(event))
    return event


def check_policy(case: Case, kind: str, *, actor=None, days: int = 0, outcome: str = "") -> str:
    """The kind's own rules on an event (outcomes, extensions); the outcome to record, or TransitionError."""
    policy = get_kind(case.kind)
    if kind == Event.WITHDRAWN and not outcome and policy.withdrawn_outcome:
        return policy.withdrawn_outcome
    codes = policy.outcome_codes()
    if codes and kind in (Event.REPLIED, Event.WITHDRAWN) and outcome not in codes:
        raise TransitionError(_("请选择办理结果。"))
    if kind == Event.EXTENDED:
        if policy.extension_permission and not (actor is not None and actor.has_perm(policy.extension_permission)):
            raise TransitionError(_("延期须经有审批权限的负责人批准。"))
        if policy.extension_max_days is not None and days > policy.extension_max_days:
            raise TransitionError(_("延期最多 %(n)s 个工作日。") % {"n": policy.extension_max_days})
        if policy.extension_limit is not None:
            used = case.events.filter(kind=Event.EXTENDED).count()
            if used >= policy.extension_limit:
                raise TransitionError(_("已经延期过 %(n)s 次，不能再延期。") % {"n": used})
    return outcome


def _announce(event: CaseEvent) -> None:
    """Tell the receivers (notifications) about a stored event; what they raise must not reach the caller."""
    for receiver, result in case_event_recorded.send_robust(sender=CaseEvent, event=event):
        if isinstance(result, Exception):
            logger.error("case_event_recorded receiver %r failed", receiver, exc_info=result)


def refresh_deadlines(cases=None) -> int:
    """Recompute the due dates of open cases (after the holiday schedule changed); returns how many moved."""
    moved = 0
    queryset = cases if cases is not None else Case.objects.filter(status__in=Status.OPEN)
    for case in queryset.prefetch_related("events").iterator(chunk_size=200):
        before = (case.due_on, case.due_provisional)
        _apply_state(case, state_of(case))
        if (case.due_on, case.due_provisional) != before:
            Case.objects.filter(pk=case.pk).update(due_on=case.due_on, due_provisional=case.due_provisional)
            moved += 1
    return moved


def lookup(code: str, check: str) -> Case | None:
    """The case a member of the public asks for, when the second check matches; otherwise None.

    ``check`` is the last four digits of the phone given with the case, or its lookup password. The
    caller rate-limits (codes must not be enumerable) and tells the user only "not found or check
    wrong", never which.
    """
    from django.contrib.auth.hashers import check_password
    from django.utils.crypto import constant_time_compare

    from zhengtong.casework.codes import is_valid_code, normalise_code

    code = normalise_code(code)
    check = (check or "").strip()
    if not is_valid_code(code) or not check:
        return None
    case = Case.objects.filter(code=code).select_related("applicant").first()
    if case is None:
        check_password(check, "")  # same work whether or not the code exists
        return None
    if case.lookup_password and check_password(check, case.lookup_password):
        return case
    applicant = getattr(case, "applicant", None)
    if applicant is not None and applicant.phone and len(check) == 4 and check.isdigit():
        digits = "".join(ch for ch in applicant.phone.reveal() if ch.isdigit())
        if len(digits) >= 4 and constant_time_compare(digits[-4:], check):
            return case
    return None
