"""Automatic 催办 before the due date and 督办 when overdue, on the working-day clock; idempotent."""

from datetime import date

import pytest
from django.conf import settings

from zhengtong.casework import services
from zhengtong.casework.reminders import SYSTEM_ACTOR, remind_and_escalate
from zhengtong.casework.tests.test_workspace import staff
from zhengtong.casework.workflow import Event
from zhengtong.core.models import Organisation
from zhengtong.notifications.models import Message

pytestmark = pytest.mark.django_db

# A letter received Monday 2 March 2026, 5 working days: due Monday 9 March. The mailbox warns 2 working days
# ahead: Thursday 5 March (6, 9 left) is the first yellow day; Tuesday 10 March is overdue.


@pytest.fixture
def office():
    return Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")


@pytest.fixture
def clerk(office):
    return staff("clerk", office, "view_case", "change_case")


@pytest.fixture
def case(office, clerk):
    case = services.submit(
        "mailbox", subject="路灯不亮", content="一中门口路灯坏了。", organisation=office, received_on=date(2026, 3, 2)
    )
    services.record_event(case, Event.ACCEPTED, actor=clerk, day=date(2026, 3, 2))
    services.record_event(case, Event.ASSIGNED, actor=clerk, day=date(2026, 3, 2), handler=clerk)
    assert case.due_on == date(2026, 3, 9)
    return case


def automatic(case, kind):
    return case.events.filter(kind=kind, actor__isnull=True, actor_label=SYSTEM_ACTOR)


def test_no_reminder_while_the_case_is_not_yet_yellow(case):
    assert remind_and_escalate(date(2026, 3, 4)).reminded == 0
    assert not automatic(case, Event.REMINDED).exists()


def test_yellow_cases_get_one_reminder_per_working_day_and_the_handler_is_told(
    case, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_and_escalate(date(2026, 3, 5)).reminded == 1
        assert remind_and_escalate(date(2026, 3, 5)).reminded == 0  # the worker runs every minute
    (first,) = automatic(case, Event.REMINDED)
    assert first.note == "距办理期限还有 2 个工作日" and first.day == date(2026, 3, 5) and not first.public
    notice = Message.objects.get(user=clerk, channel=Message.Channel.INBOX, template="staff_case_reminded")
    assert "距办理期限还有 2 个工作日" in notice.body and case.display_code in notice.body
    assert remind_and_escalate(date(2026, 3, 7)).reminded == 0  # Saturday: not a working day
    assert remind_and_escalate(date(2026, 3, 6)).reminded == 1
    assert remind_and_escalate(date(2026, 3, 9)).reminded == 1
    assert list(automatic(case, Event.REMINDED).values_list("note", flat=True)) == [
        "距办理期限还有 2 个工作日",
        "距办理期限还有 1 个工作日",
        "今天是办理期限（2026-03-09）",
    ]


def test_overdue_cases_are_supervised_once_and_supervisors_are_told(
    case, clerk, office, django_capture_on_commit_callbacks
):
    supervisor = staff("supervisor", office, "view_case", "supervise_case")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = remind_and_escalate(date(2026, 3, 10))
    assert (outcome.reminded, outcome.supervised) == (0, 1)
    assert remind_and_escalate(date(2026, 3, 10)).supervised == 0
    assert remind_and_escalate(date(2026, 3, 11)).supervised == 0
    assert automatic(case, Event.SUPERVISED).count() == 1
    case.refresh_from_db()
    assert case.supervised
    told = set(Message.objects.filter(template="staff_case_supervised").values_list("user__username", flat=True))
    assert told == {"clerk", supervisor.username}


def test_paused_and_answered_cases_are_left_alone(case, clerk):
    services.record_event(case, Event.PAUSED, actor=clerk, day=date(2026, 3, 3), note="等待补充材料")
    for day in (date(2026, 3, 5), date(2026, 3, 10)):
        outcome = remind_and_escalate(day)
        assert (outcome.reminded, outcome.supervised) == (0, 0)
    assert not case.events.filter(kind__in=[Event.REMINDED, Event.SUPERVISED]).exists()
    services.record_event(case, Event.RESUMED, actor=clerk, day=date(2026, 3, 4))
    services.record_event(case, Event.REPLY_DRAFTED, actor=clerk, note="已修复")
    services.record_event(case, Event.REPLIED, actor=clerk, note="已修复")
    result = remind_and_escalate(date(2026, 3, 30))
    assert (result.reminded, result.supervised) == (0, 0)


def test_a_hand_reminder_notifies_too_and_the_job_is_scheduled(case, office, clerk, django_capture_on_commit_callbacks):
    chief = staff("chief", office, "view_case", "change_case", "supervise_case")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_event(case, Event.REMINDED, actor=chief, note="请本周内答复")
    notice = Message.objects.get(user=clerk, template="staff_case_reminded")
    assert "请本周内答复" in notice.body
    assert not Message.objects.filter(user=chief).exists()
    assert "zhengtong.casework.tasks.remind_and_escalate" in settings.ZT_PERIODIC_TASKS
