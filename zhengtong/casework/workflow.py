"""The case lifecycle as plain values: which events may happen in which status, and what they change.

A case's timeline (``CaseEvent`` rows) is the source of truth; ``replay`` derives everything else from it
(status, outcome, responsible organisation and handler, the clock, reopenings, the rating), so status and
due dates are never edited by hand (STYLE.md: a state change is an event appended to a timeline).
Channels built on the kernel (mailbox, hotline, disclosure applications) name the same statuses in their
own words (``kinds.py``) and add outcomes of their own, but share these rules.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext_lazy as _

from zhengtong.core.workdays import ClockEvent, ClockState, run_clock


class Status:
    RECEIVED = "received"  # 已收到 / 登记: waiting for screening
    ACCEPTED = "accepted"  # 已受理: screened, waiting to be assigned
    ASSIGNED = "assigned"  # 办理中: an organisation (and perhaps a handler) is working on it
    REVIEWING = "reviewing"  # 答复待审: a reply is drafted and waits for review
    REPLIED = "replied"  # 已答复: the reply went out
    CLOSED = "closed"  # 已办结

    LABELS = {
        RECEIVED: _("已收到"),
        ACCEPTED: _("已受理"),
        ASSIGNED: _("办理中"),
        REVIEWING: _("答复待审"),
        REPLIED: _("已答复"),
        CLOSED: _("已办结"),
    }
    OPEN = (RECEIVED, ACCEPTED, ASSIGNED, REVIEWING)


class Event:
    """Event kinds of the timeline."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # not accepted, with a reason (closes)
    ROUTED = "routed"  # belongs to another channel, e.g. 信访 to the petition office (closes)
    CLASSIFIED = "classified"  # the limit in working days set at screening (simple / complex)
    ASSIGNED = "assigned"  # to an organisation, or a handler within it
    TRANSFERRED = "transferred"  # 转办: to another organisation, with a reason
    PAUSED = "paused"
    RESUMED = "resumed"
    EXTENDED = "extended"
    RESTARTED = "restarted"  # the count starts again (e.g. a corrected application)
    REPLY_DRAFTED = "reply_drafted"
    REPLY_RETURNED = "reply_returned"  # the reviewer sends the draft back
    REPLIED = "replied"
    CLOSED = "closed"
    REOPENED = "reopened"
    RATED = "rated"
    WITHDRAWN = "withdrawn"
    REMINDED = "reminded"  # 催办
    SUPERVISED = "supervised"  # 督办
    CALLED_BACK = "called_back"  # 回访
    NOTE = "note"

    LABELS = {
        RECEIVED: _("收到"),
        ACCEPTED: _("受理"),
        REJECTED: _("不予受理"),
        ROUTED: _("转信访等渠道"),
        CLASSIFIED: _("确定办理时限"),
        ASSIGNED: _("交办"),
        TRANSFERRED: _("转办"),
        PAUSED: _("暂停计时"),
        RESUMED: _("恢复计时"),
        EXTENDED: _("延期"),
        RESTARTED: _("重新计时"),
        REPLY_DRAFTED: _("拟写答复"),
        REPLY_RETURNED: _("答复退回修改"),
        REPLIED: _("答复"),
        CLOSED: _("办结"),
        REOPENED: _("重新办理"),
        RATED: _("评价"),
        WITHDRAWN: _("撤回"),
        REMINDED: _("催办"),
        SUPERVISED: _("督办"),
        CALLED_BACK: _("回访"),
        NOTE: _("备注"),
    }


# Events that may happen in each status. Reminders, supervision and notes go with any open status.
_ANY_OPEN = {Event.REMINDED, Event.SUPERVISED, Event.NOTE, Event.WITHDRAWN, Event.EXTENDED}
_CLOCK = {Event.PAUSED, Event.RESUMED, Event.RESTARTED}
ALLOWED = {
    None: {Event.RECEIVED},
    Status.RECEIVED: _ANY_OPEN | _CLOCK | {Event.ACCEPTED, Event.REJECTED, Event.ROUTED, Event.CLASSIFIED},
    # REPLIED straight from handling only for kinds whose replies are not reviewed (``apply``'s review_reply).
    Status.ACCEPTED: _ANY_OPEN
    | _CLOCK
    | {Event.CLASSIFIED, Event.ASSIGNED, Event.TRANSFERRED, Event.REPLY_DRAFTED, Event.REPLIED},
    Status.ASSIGNED: _ANY_OPEN
    | _CLOCK
    | {Event.CLASSIFIED, Event.ASSIGNED, Event.TRANSFERRED, Event.REPLY_DRAFTED, Event.REPLIED},
    Status.REVIEWING: _ANY_OPEN | {Event.REPLY_RETURNED, Event.REPLIED, Event.REPLY_DRAFTED},
    Status.REPLIED: {Event.CLOSED, Event.RATED, Event.REOPENED, Event.CALLED_BACK, Event.NOTE, Event.SUPERVISED},
    Status.CLOSED: {Event.RATED, Event.REOPENED, Event.CALLED_BACK, Event.NOTE},
}


class Rating:
    """How the applicant rates the answer (the RATED event's value): the mailbox page, the API, the hotline's
    call-back; the figures count 满意 + 基本满意 over all rated as the satisfaction rate."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    NOT_SATISFIED = "not_satisfied"

    LABELS = {SATISFIED: _("满意"), BASICALLY_SATISFIED: _("基本满意"), NOT_SATISFIED: _("不满意")}
    CONTENT = (SATISFIED, BASICALLY_SATISFIED)


class CallBack:
    """Outcome of a call-back (回访) to the citizen."""

    REACHED = "reached"
    NOT_REACHED = "not_reached"

    LABELS = {REACHED: _("已联系上"), NOT_REACHED: _("未联系上")}


class TransitionError(ValueError):
    """An event that cannot happen now; the message says why, in Chinese, for the page."""


@dataclass(frozen=True)
class EventValue:
    """One timeline event as plain values (what ``replay`` needs of a ``CaseEvent`` row)."""

    kind: str
    day: date
    organisation_id: int | None = None
    handler_id: int | None = None
    days: int = 0  # CLASSIFIED: the limit; EXTENDED: the working days added
    outcome: str = ""  # REJECTED / ROUTED / REPLIED / WITHDRAWN: why or how it ended
    rating: str = ""  # RATED


@dataclass(frozen=True)
class CaseState:
    """Everything derived from a timeline."""

    status: str | None = None
    received_on: date | None = None
    organisation_id: int | None = None
    handler_id: int | None = None
    limit: int = 0
    clock_events: tuple[ClockEvent, ...] = ()
    paused: bool = False
    replied_on: date | None = None
    closed_on: date | None = None
    outcome: str = ""
    rating: str = ""
    reopened: int = 0
    reminders: int = 0
    supervised: bool = False
    history: tuple[str, ...] = field(default=(), repr=False)

    def clock(self) -> ClockState | None:
        if self.received_on is None:
            return None
        return run_clock(self.received_on, self.limit, self.clock_events)


def apply(state: CaseState, event: EventValue, *, reopen_limit: int = 1, review_reply: bool = True) -> CaseState:
    """The state after ``event``; raises TransitionError when the event cannot happen now.

    With ``review_reply`` (the kind's rule) a reply goes out only from review (a draft approved).
    """
    if event.kind not in ALLOWED.get(state.status, set()):
        raise TransitionError(
            _("当前状态“%(status)s”下不能“%(event)s”。")
            % {"status": Status.LABELS.get(state.status, "—"), "event": Event.LABELS.get(event.kind, event.kind)}
        )
    kind = event.kind
    changes: dict = {"history": (*state.history, kind)}
    if kind == Event.RECEIVED:
        changes.update(status=Status.RECEIVED, received_on=event.day, organisation_id=event.organisation_id)
        changes["limit"] = event.days
    elif kind == Event.ACCEPTED:
        changes["status"] = Status.ACCEPTED
    elif kind in (Event.REJECTED, Event.ROUTED, Event.WITHDRAWN):
        # A case closed while its clock stood still (an applicant who never supplied the material) is closed,
        # not paused: it leaves the paused lists.
        changes.update(status=Status.CLOSED, closed_on=event.day, outcome=event.outcome or kind, paused=False)
    elif kind == Event.CLASSIFIED:
        if event.days < 0:
            raise TransitionError(_("办理时限不能是负数。"))
        changes["limit"] = event.days
    elif kind == Event.ASSIGNED:
        changes.update(status=Status.ASSIGNED, handler_id=event.handler_id)
        if event.organisation_id:
            changes["organisation_id"] = event.organisation_id
    elif kind == Event.TRANSFERRED:
        if not event.organisation_id or event.organisation_id == state.organisation_id:
            raise TransitionError(_("转办要选一个其他单位。"))
        changes.update(status=Status.ASSIGNED, organisation_id=event.organisation_id, handler_id=None)
    elif kind in (Event.PAUSED, Event.RESUMED, Event.RESTARTED, Event.EXTENDED):
        changes.update(_clock_change(state, event))
    elif kind == Event.REPLY_DRAFTED:
        changes["status"] = Status.REVIEWING
    elif kind == Event.REPLY_RETURNED:
        changes["status"] = Status.ASSIGNED
    elif kind == Event.REPLIED:
        if review_reply and state.status != Status.REVIEWING:
            raise TransitionError(_("答复要先拟写，经审核同意后才能发出。"))
        if state.paused:
            raise TransitionError(_("计时暂停中，请先恢复计时再答复。"))
        changes.update(status=Status.REPLIED, replied_on=event.day, outcome=event.outcome or state.outcome)
    elif kind == Event.CLOSED:
        changes.update(status=Status.CLOSED, closed_on=event.day)
    elif kind == Event.REOPENED:
        if state.reopened >= reopen_limit:
            raise TransitionError(_("已经重新办理过 %(n)s 次，不能再次重新办理。") % {"n": state.reopened})
        # A reopened case gets a fresh count from the day it is reopened (same limit).
        clock_events = (*state.clock_events, ClockEvent(ClockEvent.RESTART, event.day))
        changes.update(
            status=Status.ASSIGNED,
            reopened=state.reopened + 1,
            replied_on=None,
            closed_on=None,
            rating="",
            clock_events=clock_events,
        )
    elif kind == Event.RATED:
        if state.replied_on is None and state.status != Status.CLOSED:
            raise TransitionError(_("答复之后才能评价。"))
        changes["rating"] = event.rating
    elif kind == Event.REMINDED:
        changes["reminders"] = state.reminders + 1
    elif kind == Event.SUPERVISED:
        changes["supervised"] = True
    return replace(state, **changes)


def _clock_change(state: CaseState, event: EventValue) -> dict:
    kind = event.kind
    if kind == Event.PAUSED and state.paused:
        raise TransitionError(_("计时已经暂停。"))
    if kind == Event.RESUMED and not state.paused:
        raise TransitionError(_("计时没有暂停，不需要恢复。"))
    if kind == Event.EXTENDED and event.days <= 0:
        raise TransitionError(_("延期的工作日数要大于 0。"))
    clock_kind = {
        Event.PAUSED: ClockEvent.PAUSE,
        Event.RESUMED: ClockEvent.RESUME,
        Event.RESTARTED: ClockEvent.RESTART,
        Event.EXTENDED: ClockEvent.EXTEND,
    }[kind]
    paused = {Event.PAUSED: True, Event.RESUMED: False, Event.RESTARTED: False}.get(kind, state.paused)
    return {
        "clock_events": (*state.clock_events, ClockEvent(clock_kind, event.day, event.days)),
        "paused": paused,
    }


def replay(events: Iterable[EventValue], *, reopen_limit: int = 1, review_reply: bool = True) -> CaseState:
    """The state a timeline leads to, checking every step."""
    state = CaseState()
    for event in events:
        state = apply(state, event, reopen_limit=reopen_limit, review_reply=review_reply)
    return state
