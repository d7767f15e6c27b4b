"""The proactive-disclosure clock (政府信息公开条例 第26条: 20 working days), checked against hand counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zhengtong.casework import deadlines
from zhengtong.disclosure.clock import clock_row, proactive_counts, proactive_due, publication_day
from zhengtong.disclosure.models import DisclosureItemPage
from zhengtong.disclosure.testing import draft_item, publish_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=SHANGHAI)


def test_due_date_across_national_day_by_hand():
    # Created Mon 2026-09-28 (day 0). Hand count on the seeded 2026 schedule: 09-29 (1), 09-30 (2); 10-01…10-07
    # National Day off; 10-08 (3), 10-09 (4), Sat 10-10 make-up working day (5), 10-12…10-16 (6–10),
    # 10-19…10-23 (11–15), 10-26…10-30 (16–20).
    due = proactive_due(date(2026, 9, 28))
    assert due.date == date(2026, 10, 30)
    assert not due.provisional


def test_due_date_in_a_year_without_schedule_is_provisional():
    # 2030 is not entered: weekends only. Fri 2030-12-20 + 20 wd = Fri 2031-01-17 (no holidays assumed).
    due = proactive_due(date(2030, 12, 20))
    assert due.date == date(2031, 1, 17)
    assert due.provisional


def test_publication_day_of_a_change():
    assert publication_day(date(2026, 3, 1), None, None) is None
    assert publication_day(date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 5)) == date(2026, 3, 5)
    # Changed after the first publication: the clock looks at the publication that carried the change.
    assert publication_day(date(2026, 6, 1), date(2026, 3, 5), date(2026, 3, 5)) is None
    assert publication_day(date(2026, 6, 1), date(2026, 3, 5), date(2026, 6, 10)) == date(2026, 6, 10)


def test_marks_of_unpublished_item(disclosure):
    item = draft_item(disclosure.county, "国庆前形成的信息", written_date=date(2026, 9, 28))
    assert clock_row(item, date(2026, 10, 12)).mark == deadlines.NORMAL  # 14 wd left
    assert clock_row(item, date(2026, 10, 26)).mark == deadlines.SOON  # 4 wd left (warning from 5)
    assert clock_row(item, date(2026, 10, 30)).mark == deadlines.SOON  # the due day itself
    assert clock_row(item, date(2026, 11, 2)).mark == deadlines.OVERDUE


def test_formed_on_starts_the_clock_instead_of_written_date(disclosure):
    item = draft_item(disclosure.county, "变更的信息", written_date=date(2026, 1, 5), formed_on=date(2026, 9, 28))
    assert clock_row(item, date(2026, 10, 1)).due.date == date(2026, 10, 30)


def published(section, title, start: date, on: date) -> DisclosureItemPage:
    item = publish_item(section, title, written_date=start, published_date=at(on))
    DisclosureItemPage.objects.filter(pk=item.pk).update(first_published_at=at(on), last_published_at=at(on))
    item.refresh_from_db()
    return item


def test_on_time_and_late(disclosure):
    on_time = published(disclosure.county, "按时", date(2026, 9, 28), date(2026, 10, 30))
    late = published(disclosure.county, "超期", date(2026, 9, 28), date(2026, 11, 2))
    today = date(2026, 11, 27)
    assert clock_row(on_time, today).mark == deadlines.ON_TIME
    assert clock_row(late, today).mark == deadlines.LATE


def test_proactive_counts_for_the_report(disclosure):
    published(disclosure.county, "按时", date(2026, 9, 28), date(2026, 10, 30))
    published(disclosure.county, "超期", date(2026, 9, 28), date(2026, 11, 2))
    published(disclosure.county, "去年的", date(2025, 12, 1), date(2025, 12, 3))
    published(disclosure.department, "部门的", date(2026, 3, 2), date(2026, 3, 3))
    draft_item(disclosure.county, "未发布", written_date=date(2026, 9, 1))
    repealed = published(disclosure.county, "废止的", date(2025, 3, 3), date(2025, 3, 4))
    DisclosureItemPage.objects.filter(pk=repealed.pk).update(validity="repealed", validity_changed_on=date(2026, 6, 1))
    counts = proactive_counts(disclosure.county.organisation, 2026)
    assert (counts.published, counts.published_late, counts.repealed) == (2, 1, 1)
    assert not counts.provisional
    last_year = proactive_counts(disclosure.county.organisation, 2025)
    assert (last_year.published, last_year.published_late) == (2, 0)


def test_admin_list_shows_overdue_and_late(disclosure, admin_client):
    draft_item(disclosure.county, "尚未公开的信息", written_date=date(2026, 9, 28))
    published(disclosure.county, "超期公开的信息", date(2026, 9, 28), date(2026, 11, 2))
    published(disclosure.county, "按时公开的信息", date(2026, 9, 28), date(2026, 10, 30))
    overdue = admin_client.get("/admin/disclosure_deadlines/", {"status": "overdue", "year": 2026}).content.decode()
    assert "尚未公开的信息" in overdue and "超期公开的信息" not in overdue
    late = admin_client.get("/admin/disclosure_deadlines/", {"status": "late", "year": 2026}).content.decode()
    assert "超期公开的信息" in late and "按时公开的信息" not in late and "尚未公开的信息" not in late
    assert "2026-10-30" in late and "zt-mark--late" in late
    everything = admin_client.get("/admin/disclosure_deadlines/", {"status": "all", "year": 2026}).content.decode()
    assert "按时公开的信息" in everything


def test_admin_list_limited_to_own_organisation(disclosure, portal, client):
    from django.contrib.auth.models import Permission

    from zhengtong.portal.testing import make_staff
    from zhengtong.twofactor.testing import login_verified

    draft_item(disclosure.county, "县政府的信息", written_date=date(2026, 9, 28))
    draft_item(disclosure.department, "教育局的信息", written_date=date(2026, 9, 28))
    staff = make_staff("jyj_office", portal.department)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_verified(client, staff)
    page = client.get("/admin/disclosure_deadlines/", {"status": "all", "year": 2026}).content.decode()
    assert "教育局的信息" in page and "县政府的信息" not in page
