"""The lifecycle rules and the clock they drive, with hand-counted dates on the 2026 schedule."""

from datetime import date

import pytest

from zhengtong.casework import deadlines
from zhengtong.casework.workflow import Event, EventValue, Status, TransitionError, replay
from zhengtong.core.workdays import Deadline

pytestmark = pytest.mark.django_db  # the clock reads the holiday table (seeded with 2026)

D = date


def ev(kind, day, **values):
    return EventValue(kind=kind, day=day, **values)


def test_mailbox_letter_from_receipt_to_rating():
    events = [
        ev(Event.RECEIVED, D(2026, 9, 18), organisation_id=1, days=5),
        ev(Event.ACCEPTED, D(2026, 9, 21)),
        ev(Event.CLASSIFIED, D(2026, 9, 21), days=15),  # complex
        ev(Event.ASSIGNED, D(2026, 9, 21), organisation_id=7),
    ]
    state = replay(events)
    assert state.status == Status.ASSIGNED and state.organisation_id == 7 and state.limit == 15
    # 15 wd from Fri 18 Sep: 20(Sun, make-up) 21 22 23 24 (5), 25–27 Mid-Autumn, 28 29 30 (8),
    # 1–7 Oct National Day, 8 9 10(Sat, make-up) (11), 12 13 14 15 (15).
    assert state.clock().due == Deadline(D(2026, 10, 15))
    events += [
        ev(Event.REPLY_DRAFTED, D(2026, 10, 12)),
        ev(Event.REPLY_RETURNED, D(2026, 10, 13)),
        ev(Event.REPLY_DRAFTED, D(2026, 10, 14)),
        ev(Event.REPLIED, D(2026, 10, 15)),
    ]
    state = replay(events)
    assert state.status == Status.REPLIED and state.replied_on == D(2026, 10, 15)
    assert deadlines.urgency(state, D(2026, 10, 20)) == deadlines.ON_TIME
    state = replay([*events, ev(Event.RATED, D(2026, 10, 16), rating="satisfied"), ev(Event.CLOSED, D(2026, 10, 16))])
    assert state.status == Status.CLOSED and state.rating == "satisfied"


def test_not_satisfied_reopens_once_with_a_fresh_count():
    events = [
        ev(Event.RECEIVED, D(2026, 3, 2), organisation_id=1, days=5),
        ev(Event.ACCEPTED, D(2026, 3, 2)),
        ev(Event.ASSIGNED, D(2026, 3, 2), organisation_id=2),
        ev(Event.REPLY_DRAFTED, D(2026, 3, 4)),
        ev(Event.REPLIED, D(2026, 3, 5)),
        ev(Event.RATED, D(2026, 3, 6), rating="not_satisfied"),
        ev(Event.REOPENED, D(2026, 3, 6)),
    ]
    state = replay(events)
    assert state.status == Status.ASSIGNED and state.reopened == 1 and state.rating == "" and state.replied_on is None
    assert state.clock().due == Deadline(D(2026, 3, 13))  # 9 10 11 12 13 March
    events += [ev(Event.REPLY_DRAFTED, D(2026, 3, 9)), ev(Event.REPLIED, D(2026, 3, 10))]
    with pytest.raises(TransitionError, match="不能再次重新办理"):
        replay([*events, ev(Event.REOPENED, D(2026, 3, 11))])


def test_transfer_changes_the_organisation_and_clears_the_handler():
    events = [
        ev(Event.RECEIVED, D(2026, 3, 2), organisation_id=1, days=5),
        ev(Event.ACCEPTED, D(2026, 3, 2)),
        ev(Event.ASSIGNED, D(2026, 3, 2), organisation_id=2, handler_id=9),
        ev(Event.TRANSFERRED, D(2026, 3, 3), organisation_id=3),
    ]
    state = replay(events)
    assert (state.organisation_id, state.handler_id, state.status) == (3, None, Status.ASSIGNED)
    with pytest.raises(TransitionError, match="其他单位"):
        replay([*events, ev(Event.TRANSFERRED, D(2026, 3, 4), organisation_id=3)])


def test_pause_and_resume_move_the_due_date_and_block_the_reply():
    events = [
        ev(Event.RECEIVED, D(2026, 3, 2), organisation_id=1, days=20),
        ev(Event.ACCEPTED, D(2026, 3, 2)),
        ev(Event.PAUSED, D(2026, 3, 5)),
    ]
    state = replay(events)
    assert state.paused and state.clock().due is None
    assert deadlines.urgency(state, D(2026, 6, 1)) == deadlines.PAUSED
    with pytest.raises(TransitionError, match="计时已经暂停"):
        replay([*events, ev(Event.PAUSED, D(2026, 3, 6))])
    state = replay([*events, ev(Event.RESUMED, D(2026, 3, 16))])
    assert state.clock().due == Deadline(D(2026, 4, 9))  # hand count in core/tests/test_workdays.py


def test_closed_cases_refuse_work_and_screening_outcomes_close():
    received = ev(Event.RECEIVED, D(2026, 3, 2), organisation_id=1, days=5)
    state = replay([received, ev(Event.ROUTED, D(2026, 3, 3), outcome="petition")])
    assert state.status == Status.CLOSED and state.outcome == "petition"
    with pytest.raises(TransitionError, match="已办结"):
        replay([received, ev(Event.REJECTED, D(2026, 3, 3)), ev(Event.ASSIGNED, D(2026, 3, 4), organisation_id=2)])
    with pytest.raises(TransitionError):
        replay([ev(Event.ACCEPTED, D(2026, 3, 2))])  # a timeline starts with receipt


def test_urgency_marks_and_the_three_month_veto():
    state = replay([ev(Event.RECEIVED, D(2026, 3, 2), organisation_id=1, days=5), ev(Event.ACCEPTED, D(2026, 3, 2))])
    assert state.clock().due == Deadline(D(2026, 3, 9))  # 3 4 5 6 9 March
    assert deadlines.urgency(state, D(2026, 3, 3)) == deadlines.NORMAL  # 4 working days left
    assert deadlines.urgency(state, D(2026, 3, 5)) == deadlines.SOON  # 2 left
    assert deadlines.urgency(state, D(2026, 3, 9)) == deadlines.SOON  # due today
    assert deadlines.urgency(state, D(2026, 3, 10)) == deadlines.OVERDUE
    assert not deadlines.unanswered_too_long(state, D(2026, 6, 2))
    assert deadlines.unanswered_too_long(state, D(2026, 6, 3))
    assert deadlines.add_months(D(2026, 1, 31), 3) == D(2026, 4, 30)


def test_a_reply_skips_review_only_for_kinds_without_it():
    handled = [
        ev(Event.RECEIVED, D(2026, 9, 30), organisation_id=1, days=13),
        ev(Event.ACCEPTED, D(2026, 9, 30)),
        ev(Event.ASSIGNED, D(2026, 9, 30), organisation_id=2),
    ]
    reply = ev(Event.REPLIED, D(2026, 10, 9))
    with pytest.raises(TransitionError, match="审核"):
        replay([*handled, reply])  # the mailbox's rule (the default): a reply goes out only from review
    state = replay([*handled, reply], review_reply=False)  # the hotline's
    assert state.status == Status.REPLIED and state.replied_on == D(2026, 10, 9)
    # 13 wd from 30 Sep across National Day (1–7 Oct) and the make-up Saturday 10 Oct: due Fri 23 Oct.
    assert state.clock().due == Deadline(D(2026, 10, 23))
    assert deadlines.urgency(state, D(2026, 10, 26)) == deadlines.ON_TIME
