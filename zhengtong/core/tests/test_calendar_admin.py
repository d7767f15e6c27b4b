"""The holiday schedule in the admin: edited with the calendar permissions, warned about on the dashboard."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from freezegun import freeze_time

from zhengtong.core.models import CalendarYear, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_keeper():
    user = User.objects.create_user(username="keeper", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        *Permission.objects.filter(content_type__app_label="core", codename__endswith="calendaryear"),
    )
    return user


def test_keeper_enters_a_year_with_its_days(client, calendar_keeper):
    client.force_login(calendar_keeper)
    response = client.post(
        reverse("calendar:add"),
        {
            "year": "2027",
            "notice": "国办发明电〔2026〕1号",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2027-01-01",
            "days-0-kind": "holiday",
            "days-0-name": "元旦",
            "days-0-ORDER": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.source == CalendarYear.Source.ADMIN
    assert [str(d.date) for d in year.days.all()] == ["2027-01-01"]


def test_day_outside_the_year_is_refused_in_chinese(client, calendar_keeper):
    client.force_login(calendar_keeper)
    response = client.post(
        reverse("calendar:add"),
        {
            "year": "2027",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-0-date": "2028-01-01",
            "days-0-kind": "holiday",
            "days-0-ORDER": "1",
        },
    )
    assert response.status_code == 200
    assert "不在 2027 年内" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_dashboard_warns_when_next_year_is_missing(client, calendar_keeper):
    CalendarYear.objects.filter(year__gte=2027).delete()
    client.force_login(calendar_keeper)
    with freeze_time("2026-11-27"):
        body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "节假日安排未录入" in body and "2027" in body and reverse("calendar:add") in body
    with freeze_time("2026-06-01"):
        body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "节假日安排未录入" not in body
