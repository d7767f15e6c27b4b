"""Every clock event and outcome of an application, with due dates against hand counts on the 2026 calendar.

2026 holidays met here: 清明 4月6日 (Mon); 劳动节 5月1日–5日, with Saturday 5月9日 a make-up working day;
端午 6月19日 (Fri). Received online Wednesday 22 April 2026 (day 0).
"""

from datetime import date

import pytest

from zhengtong.casework import services as casework
from zhengtong.casework.models import CaseEvent
from zhengtong.casework.workflow import Event, Status, TransitionError
from zhengtong.core.pdf import pdf_text
from zhengtong.disclosure_requests import outcomes, services
from zhengtong.disclosure_requests.letters import letter_of
from zhengtong.disclosure_requests.tests.conftest import received

pytestmark = pytest.mark.django_db

DAY0 = date(2026, 4, 22)


def test_receipt_day_zero_and_twenty_working_days_over_the_may_holiday(portal):
    case = received(portal.government)
    # 23 24 27 28 29 30 | 5月1–5日 off | 6 7 8 9(调休) 11 12 13 14 15 18 19 20 21 22
    assert (case.received_on, case.due_on, case.limit_days) == (DAY0, date(2026, 5, 22), 20)
    assert case.disclosure_request.description.startswith("2025年县城")
    # 第30条: the correction notice within 7 wd — 23 24 27 28 29 30 5月6日
    assert services.correction_notice_due(case) == date(2026, 5, 6)


def test_correction_restarts_the_count_then_consultation_pause_then_one_extension(portal, staff):
    clerk, head = staff["clerk"], staff["head"]
    case = received(portal.government)
    services.request_correction(
        case, actor=clerk, text="请写明所需文件的具体名称", due_on=date(2026, 5, 8), day=date(2026, 4, 24)
    )
    case.refresh_from_db()
    assert case.paused and case.due_on is None
    services.receive_correction(case, actor=clerk, day=date(2026, 5, 7))
    case.refresh_from_db()
    # Restart on 5月7日: 8 9(调休) 11 12 13 14 15 18 19 20 21 22 25 26 27 28 29 6月1日 2 3
    assert not case.paused and case.due_on == date(2026, 6, 3)
    assert case.events.filter(kind=Event.RESTARTED).count() == 1
    with pytest.raises(TransitionError):
        services.request_correction(case, actor=clerk, text="再补一次", due_on=date(2026, 5, 20), day=date(2026, 5, 8))

    services.start_consultation(case, actor=clerk, consulted="县住建局（第三方：某物业公司）", day=date(2026, 5, 11))
    case.refresh_from_db()
    # Used 8 9 11 = 3 of 20; the third party has 15 wd: 12 13 14 15 18 19 20 21 22 25 26 27 28 29 6月1日
    assert case.paused and case.disclosure_request.consultation_due_on == date(2026, 6, 1)
    services.end_consultation(case, actor=clerk, day=date(2026, 5, 25))
    case.refresh_from_db()
    # 17 left from 5月25日: 26 27 28 29 6月1 2 3 4 5 8 9 10 11 12 15 16 17
    assert case.due_on == date(2026, 6, 17)

    with pytest.raises(TransitionError, match="负责人"):
        services.extend(case, actor=clerk, days=20, reason="需要调取档案")
    with pytest.raises(TransitionError, match="20"):
        services.extend(case, actor=head, days=21, reason="需要调取档案")
    services.extend(case, actor=head, days=20, reason="需要调取档案")
    case.refresh_from_db()
    # 20 more after 6月17日: 18 | 19 端午 | 22 23 24 25 26 29 30 7月1 2 3 6 7 8 9 10 13 14 15 16
    assert case.due_on == date(2026, 7, 16)
    with pytest.raises(TransitionError, match="延期过"):
        services.extend(case, actor=head, days=1, reason="再延")
    extension = case.events.get(kind=Event.EXTENDED)
    assert (extension.actor, extension.note, extension.public) == (head, "需要调取档案", True)


def test_no_correction_in_time_ends_as_other_no_correction(portal, staff):
    case = received(portal.government)
    services.request_correction(
        case, actor=staff["clerk"], text="请写明文件名称", due_on=date(2026, 5, 8), day=date(2026, 4, 24)
    )
    assert services.expire_corrections(today=date(2026, 5, 8)) == 0  # the last day is still the applicant's
    assert services.expire_corrections(today=date(2026, 5, 11)) == 1
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == (Status.CLOSED, "other.no_correction", date(2026, 5, 11))
    assert services.expire_corrections(today=date(2026, 5, 12)) == 0


def test_withdrawal_by_the_applicant_and_by_staff(portal, staff):
    online = received(portal.government)
    services.withdraw(online, reason="已通过其他途径获得")
    online.refresh_from_db()
    assert (online.status, online.outcome) == (Status.CLOSED, outcomes.WITHDRAWN)
    assert online.events.get(kind=Event.WITHDRAWN).actor_label == services.APPLICANT

    written = received(portal.government)
    casework.record_event(written, Event.WITHDRAWN, actor=staff["clerk"], note="申请人书面撤回")
    written.refresh_from_db()
    assert written.outcome == outcomes.WITHDRAWN  # the kind's withdrawn outcome, not the event's name


def test_a_reply_must_name_an_outcome_of_table_three(portal, staff):
    case = received(portal.government)
    casework.record_event(case, Event.ACCEPTED, actor=staff["clerk"])
    casework.record_event(case, Event.REPLY_DRAFTED, actor=staff["clerk"], note="拟予公开")
    for outcome in ("", "replied", "public.whatever"):
        with pytest.raises(TransitionError, match="办理结果"):
            casework.record_event(case, Event.REPLIED, actor=staff["reviewer"], outcome=outcome, note="x")
    assert not CaseEvent.objects.filter(case=case, kind=Event.REPLIED).exists()


@pytest.mark.parametrize("outcome", [o.code for o in outcomes.OUTCOMES])
def test_every_outcome_replies_with_a_letter_citing_its_basis(portal, disclosure, staff, outcome):
    case = received(portal.government)
    services.reply(case, actor=staff["reviewer"], outcome=outcome, text="答复正文。")
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.REPLIED, outcome)
    letter = letter_of(case)
    assert letter is not None and letter.event.kind == Event.REPLIED and letter.event.public
    text = pdf_text(letter.file.read())
    basis = outcomes.get_outcome(outcome).basis
    if basis:
        assert f"根据《中华人民共和国政府信息公开条例》{basis}" in text
    assert "县人民政府办公室" in text and case.display_code in text
