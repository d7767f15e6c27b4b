"""The working-day clock, checked against hand counts on the official 2026 schedule (国办发明电〔2025〕7号)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from zhengtong.audit.models import AuditRecord
from zhengtong.core.checks import check_holiday_schedule
from zhengtong.core.holidays import ScheduleError, parse_schedule, replace_year, seed_from_package
from zhengtong.core.models import CalendarDay, CalendarYear
from zhengtong.core.workdays import ClockEvent, Deadline, add_workdays, is_workday, run_clock, workdays_between

# The State Council's 2026 schedule as published, typed in by hand (not taken from the package).
SCHEDULE_2026 = """
# 国务院办公厅关于2026年部分节假日安排的通知
2026-01-01..2026-01-03 休 元旦
2026-01-04 班 元旦调休
2026-02-14 班 春节调休
2026-02-15..2026-02-23 休 春节
2026-02-28 班 春节调休
2026-04-04..2026-04-06 休 清明节
2026-05-01..2026-05-05 休 劳动节
2026-05-09 班 劳动节调休
2026-06-19..2026-06-21 休 端午节
2026-09-20 班 国庆节调休
2026-09-25..2026-09-27 休 中秋节
2026-10-01..2026-10-07 休 国庆节
2026-10-10 班 国庆节调休
"""

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2026():
    """Exactly the official 2026 schedule, and no entered 2027."""
    CalendarYear.objects.filter(year__gte=2027).delete()
    return replace_year(2026, parse_schedule(SCHEDULE_2026, 2026), source=CalendarYear.Source.FILE)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Spring Festival: Sat 14 Feb works, 15–23 Feb rest, Sat 28 Feb works.
        (date(2026, 2, 13), 5, date(2026, 2, 27)),  # 14(1) 24 25 26 27(5)
        (date(2026, 2, 13), 10, date(2026, 3, 5)),  # … 28(6) 2 Mar(7) … 5 Mar(10)
        # Labour Day: 1–5 May rest, Sat 9 May works.
        (date(2026, 4, 30), 3, date(2026, 5, 8)),  # 6 7 8
        (date(2026, 4, 30), 4, date(2026, 5, 9)),  # the make-up Saturday counts
        # National Day with Mid-Autumn: Sun 20 Sep works, 25–27 Sep and 1–7 Oct rest, Sat 10 Oct works.
        (date(2026, 9, 18), 5, date(2026, 9, 24)),  # 20(1) 21 22 23 24(5)
        (date(2026, 9, 18), 20, date(2026, 10, 22)),  # … 30 Sep(8) 8 Oct(9) 9 10(11) 12–16(16) 19–22(20)
        (date(2026, 3, 2), 0, date(2026, 3, 2)),  # day 0 is the day of receipt
        (date(2026, 2, 15), 1, date(2026, 2, 24)),  # received on a holiday
    ],
)
def test_add_workdays_hand_counted_2026(year_2026, start, days, due):
    assert add_workdays(start, days) == Deadline(due, provisional=False)


def test_year_without_schedule_is_provisional_and_weekends_only(year_2026):
    # 25 28 29 30 31 Dec (5), then 2027 unknown: Fri 1 Jan counts as a weekday (6), 4–7 Jan (10).
    assert add_workdays(date(2026, 12, 24), 10) == Deadline(date(2027, 1, 7), provisional=True)
    assert str(add_workdays(date(2026, 12, 24), 10)) == "2027-01-07 provisional"
    # A count that stays in 2026 is firm even though 2027 is missing.
    assert add_workdays(date(2026, 12, 24), 5) == Deadline(date(2026, 12, 31), provisional=False)

    replace_year(2027, parse_schedule("2027-01-01 休 元旦", 2027), source=CalendarYear.Source.FILE)
    assert add_workdays(date(2026, 12, 24), 10) == Deadline(date(2027, 1, 8), provisional=False)


def test_is_workday_and_between(year_2026):
    assert is_workday(date(2026, 2, 14))  # make-up Saturday
    assert not is_workday(date(2026, 2, 16))  # Spring Festival Monday
    assert not is_workday(date(2026, 3, 7))  # ordinary Saturday
    assert workdays_between(date(2026, 2, 13), date(2026, 2, 27)) == 5
    assert workdays_between(date(2026, 2, 27), date(2026, 2, 13)) == 0


def test_clock_paused_and_resumed(year_2026):
    received = date(2026, 3, 2)
    pause = ClockEvent(ClockEvent.PAUSE, date(2026, 3, 5))  # 3, 4, 5 Mar used
    paused = run_clock(received, 20, [pause])
    assert paused.paused and paused.due is None and paused.used == 3 and paused.remaining == 17
    # Resumed on 16 Mar (day 0 again): 17 left → 17–20, 23–27, 30 31 1 2 3, (4–6 Apr Qingming) 7 8 9 Apr.
    resumed = run_clock(received, 20, [pause, ClockEvent(ClockEvent.RESUME, date(2026, 3, 16))])
    assert resumed.due == Deadline(date(2026, 4, 9)) and not resumed.paused


def test_clock_extended(year_2026):
    received = date(2026, 3, 2)
    assert run_clock(received, 20).due == Deadline(date(2026, 3, 30))
    # 政府信息公开条例 第33条: one extension of up to 20 working days. 31 Mar … 3 Apr, 7–10, 13–17, 20–24, 27 28 Apr.
    extended = run_clock(received, 20, [ClockEvent(ClockEvent.EXTEND, date(2026, 3, 20), days=20)])
    assert extended.limit == 40 and extended.due == Deadline(date(2026, 4, 28))


def test_clock_restarted(year_2026):
    # A corrected application starts the count again from the day it arrives (政府信息公开条例 第30条).
    events = [
        ClockEvent(ClockEvent.PAUSE, date(2026, 3, 4)),
        ClockEvent(ClockEvent.RESTART, date(2026, 3, 9)),
    ]
    state = run_clock(date(2026, 3, 2), 15, events)
    assert state.used == 0 and state.due == Deadline(date(2026, 3, 30))


def test_add_workdays_refuses_absurd_counts():
    with pytest.raises(ValueError):
        add_workdays(date(2026, 1, 1), -1)


def test_parse_schedule_errors_name_the_line():
    with pytest.raises(ScheduleError, match="第 2 行"):
        parse_schedule("2027-01-01 休 元旦\n2027-13-01 休 错", 2027)
    with pytest.raises(ScheduleError, match=r"第 1 行.*类别"):
        parse_schedule("2027-01-01 放假", 2027)
    with pytest.raises(ScheduleError, match="不在 2027 年内"):
        parse_schedule("2026-12-31 休 元旦", 2027)
    with pytest.raises(ScheduleError, match="重复"):
        parse_schedule("2027-01-01 休 元旦\n2027-01-01 班 调休", 2027)
    with pytest.raises(ScheduleError, match="没有任何日期"):
        parse_schedule("# 空\n", 2027)


def test_package_seed_matches_the_official_2026_schedule():
    # The test database was migrated: post_migrate seeded every year chinesecalendar knows.
    seeded = CalendarYear.objects.get(year=2026)
    assert seeded.source == CalendarYear.Source.PACKAGE
    expected = parse_schedule(SCHEDULE_2026, 2026)
    assert [(d.date, d.kind) for d in seeded.days.order_by("date")] == [(e.date, e.kind) for e in expected]


def test_seeding_never_overwrites_an_entered_year(year_2026):
    replace_year(2026, parse_schedule("2026-03-03 休 测试", 2026), source=CalendarYear.Source.ADMIN)
    assert 2026 not in seed_from_package()
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("name", flat=True)) == ["测试"]


def test_command_import_year_and_add_workdays(year_2026, tmp_path):
    out = StringIO()
    call_command("workcalendar", "add-workdays", "2026-12-24", "10", stdout=out)
    assert out.getvalue().strip() == "2027-01-07 provisional"

    schedule = tmp_path / "2027.txt"
    schedule.write_text("2027-01-01 休 元旦\n", encoding="utf-8")
    call_command("workcalendar", "import-year", "2027", str(schedule), stdout=StringIO())
    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.FILE
    assert AuditRecord.objects.filter(action="calendar.import").exists()

    out = StringIO()
    call_command("workcalendar", "add-workdays", "2026-12-24", "10", stdout=out)
    assert out.getvalue().strip() == "2027-01-08"


def test_command_rejects_bad_input(tmp_path):
    with pytest.raises(CommandError, match="日期"):
        call_command("workcalendar", "add-workdays", "2026-02-30", "3")
    bad = tmp_path / "bad.txt"
    bad.write_text("2027-01-01 休 元旦\nxx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("workcalendar", "import-year", "2027", str(bad))
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_check_warns_about_missing_years(year_2026):
    with freeze_time("2026-06-01"):
        assert check_holiday_schedule() == []
    with freeze_time("2026-11-27"):
        assert [m.id for m in check_holiday_schedule()] == ["zhengtong.W702"]
    CalendarYear.objects.filter(year=2026).delete()
    with freeze_time("2026-06-01"):
        assert [m.id for m in check_holiday_schedule()] == ["zhengtong.E701"]


def test_edit_in_admin_is_audited_and_moves_deadlines(year_2026):
    calendar_year = CalendarYear.objects.get(year=2026)
    CalendarDay.objects.create(calendar_year=calendar_year, date=date(2026, 3, 3), kind="holiday", name="测试")
    calendar_year.save()
    assert AuditRecord.objects.filter(action="calendar.change").exists()
    assert add_workdays(date(2026, 3, 2), 1) == Deadline(date(2026, 3, 4))
