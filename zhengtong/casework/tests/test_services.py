"""Cases on the database: receipt, events, derived fields, audit, and all-or-nothing submission."""

from datetime import date

import pytest
from django.db import connection

from zhengtong.audit.models import AuditRecord
from zhengtong.casework import services
from zhengtong.casework.codes import is_valid_code
from zhengtong.casework.models import Case, CaseEvent, Channel
from zhengtong.casework.workflow import Event, Status, TransitionError
from zhengtong.core.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    office = Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")
    bureau = Organisation.objects.create(name="县教育局", short_name="教育局", code="木教")
    other = Organisation.objects.create(name="县住建局", short_name="住建局", code="木建")
    return office, bureau, other


@pytest.fixture
def clerk(offices):
    return User.objects.create_user(username="clerk", password="x", organisation=offices[0])


def letter(office, **values):
    defaults = {
        "subject": "学校门口路灯不亮",
        "content": "一中门口的路灯坏了一个月。",
        "organisation": office,
        "category": "help",
        "received_on": date(2026, 3, 2),
    }
    return services.submit("mailbox", **{**defaults, **values})


def test_submit_creates_the_case_with_its_receipt_event_and_due_date(offices):
    case = letter(offices[0], lookup_password="木垒2026")
    assert is_valid_code(case.code) and len(case.display_code) == 14
    assert case.status == Status.RECEIVED and case.limit_days == 5
    assert case.due_on == date(2026, 3, 9) and not case.due_provisional  # 3 4 5 6 9 March
    assert list(case.events.values_list("kind", "public")) == [(Event.RECEIVED, True)]
    assert case.lookup_password and "木垒2026" not in case.lookup_password
    assert AuditRecord.objects.filter(action="case.receive", object_id=str(case.pk)).exists()


def test_events_move_the_case_and_decisions_are_audited(offices, clerk):
    office, bureau, other = offices
    case = letter(office)
    services.record_event(case, Event.ACCEPTED, actor=clerk, day=date(2026, 3, 2))
    services.record_event(case, Event.CLASSIFIED, actor=clerk, day=date(2026, 3, 2), days=15)
    services.record_event(case, Event.ASSIGNED, actor=clerk, day=date(2026, 3, 2), organisation=bureau)
    services.record_event(case, Event.TRANSFERRED, actor=clerk, day=date(2026, 3, 3), organisation=other, note="职责")
    case.refresh_from_db()
    assert (case.status, case.organisation, case.limit_days) == (Status.ASSIGNED, other, 15)
    assert case.due_on == date(2026, 3, 23)  # 15 wd from 2 March: 3–6, 9–13, 16–20, 23
    actions = set(AuditRecord.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"case.receive", "case.accepted", "case.transferred"} <= actions
    assert "case.assigned" not in actions  # internal routing is not a decision


def test_a_refused_event_stores_nothing(offices, clerk):
    case = letter(offices[0])
    with pytest.raises(TransitionError):
        services.record_event(case, Event.REPLIED, actor=clerk)
    case.refresh_from_db()
    assert case.events.count() == 1 and case.status == Status.RECEIVED


def test_a_submission_that_fails_midway_leaves_no_case(offices, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(services, "audit", broken)
    with pytest.raises(RuntimeError):
        letter(offices[0])
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_refresh_deadlines_follows_a_changed_schedule(offices, run_worker):
    from zhengtong.core.holidays import parse_schedule, replace_year
    from zhengtong.core.models import CalendarYear

    CalendarYear.objects.filter(year__gte=2027).delete()
    run_worker()
    case = letter(offices[0], received_on=date(2026, 12, 28), channel=Channel.POST)
    assert case.due_on == date(2027, 1, 4) and case.due_provisional  # 29 30 31 Dec, 1 4 Jan (weekends only)
    replace_year(2027, parse_schedule("2027-01-01 休 元旦", 2027), source=CalendarYear.Source.FILE)
    run_worker()  # the schedule change enqueued the recomputation
    case.refresh_from_db()
    assert case.due_on == date(2027, 1, 5) and not case.due_provisional


def test_case_lists_query_a_bounded_number_of_times(offices, django_assert_max_num_queries):
    for n in range(5):
        letter(offices[0], subject=f"来信{n}")
    with django_assert_max_num_queries(2):
        rows = list(Case.objects.select_related("organisation", "handler").filter(status__in=Status.OPEN))
        assert len(rows) == 5 and rows[0].organisation.name


def test_applicant_is_encrypted_validated_and_masked(offices):
    from django.core.exceptions import ValidationError

    from zhengtong.casework.models import Applicant

    person = {"name": "张晓燕", "id_number": "11010519491231002X", "phone": "138 0000 1234"}
    case = letter(offices[0], applicant=person)
    stored = Applicant.objects.get(case=case)
    masked_phone = str(stored.phone)
    assert str(stored.name) == "张某" and masked_phone.startswith("138") and masked_phone.endswith("1234")
    assert "0000" not in masked_phone
    assert stored.id_number.reveal() == "11010519491231002X"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone FROM zt_casework_applicant")
        raw = " ".join(cursor.fetchone())
    assert "张晓燕" not in raw and "1234" not in raw and "002X" not in raw
    with pytest.raises(ValidationError, match="身份证"):
        letter(offices[0], applicant={"name": "李四", "id_number": "110105194912310021"})
    assert Case.objects.count() == 1  # the refused submission left nothing


def test_lookup_needs_the_code_and_the_second_check(offices):
    case = letter(offices[0], applicant={"name": "张晓燕", "phone": "13800001234"})
    assert services.lookup(case.display_code.lower(), "1234") == case
    assert services.lookup(case.code, "4321") is None
    assert services.lookup(case.code[:-1] + ("2" if case.code[-1] != "2" else "3"), "1234") is None
    assert services.lookup(case.code, "") is None
    with_password = letter(offices[0], lookup_password="木垒2026")
    assert services.lookup(with_password.code, "木垒2026") == with_password
    assert services.lookup(with_password.code, "1234") is None


def test_check_lists_overdue_cases_and_the_three_month_veto(offices):
    from datetime import timedelta

    from django.utils import timezone

    from zhengtong.casework.checks import check_case_deadlines

    assert check_case_deadlines() == []
    letter(offices[0], received_on=timezone.localdate() - timedelta(days=20))
    assert [m.id for m in check_case_deadlines()] == ["zhengtong.W802"]
    old = letter(offices[0], received_on=timezone.localdate() - timedelta(days=100))
    found = check_case_deadlines()
    assert [m.id for m in found] == ["zhengtong.E801", "zhengtong.W802"] and old.display_code in found[0].msg
