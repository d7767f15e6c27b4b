from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from zhengtong.core import roles
from zhengtong.core.models import User
from zhengtong.disclosure.testing import build_disclosure
from zhengtong.disclosure_requests import services
from zhengtong.disclosure_requests.models import DisclosureApplicationPage

TZ = ZoneInfo("Asia/Shanghai")
HOST = "portal.test"
PERSON = {"kind": "natural", "name": "张晓燕", "id_number": "11010519491231002X", "phone": "13800001234"}


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_question(settings):
    """The anti-spam question has its own test (test_public.py); the others post without it."""
    settings.ZT_FORM_QUESTION = False


def member(username: str, organisation, *group_names: str) -> User:
    user = User.objects.create_user(username=username, password="x", organisation=organisation)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    assert user.groups.count() == len(group_names)
    return user


@pytest.fixture
def disclosure(portal):
    sections = build_disclosure(portal)
    page = sections.county.add_child(
        instance=DisclosureApplicationPage(title="依申请公开", slug="ysqgk", organisation=portal.government)
    )
    return page


@pytest.fixture
def staff(portal):
    office = portal.government
    return {
        "clerk": member("gk_clerk", office, roles.CASE_REGISTRAR, roles.CASE_HANDLER),
        "reviewer": member("gk_reviewer", office, roles.REPLY_REVIEWER),
        "head": member("gk_head", office, roles.DISCLOSURE_HEAD),
    }


def received(organisation, day: date = date(2026, 4, 22), **values):
    """An application that came in online at 10:00 on ``day`` (条例 第31条: that day is day 0)."""
    at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)
    defaults = {
        "organisation": organisation,
        "description": "2025年县城老旧小区改造项目的资金安排文件（木政发〔2025〕12号）",
        "applicant": dict(PERSON),
        "received_at": min(at, timezone.now()),  # today's: not after the steps the test records now
    }
    return services.apply(**{**defaults, **values})
