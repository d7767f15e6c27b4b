"""The office's pages: entry of posted applications, lists, the workspace reply with an outcome, extensions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhengtong.casework.models import Case, Channel
from zhengtong.casework.workflow import Event
from zhengtong.core.workdays import add_workdays
from zhengtong.disclosure_requests import services
from zhengtong.disclosure_requests.letters import letter_of
from zhengtong.disclosure_requests.tests.conftest import received
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db


def entry(portal, **values) -> dict:
    now = timezone.localtime()
    data = {
        "channel": Channel.POST,
        "received_at": f"{now:%Y-%m-%dT%H:%M}",
        "signed_on": f"{now.date() - timedelta(days=3):%Y-%m-%d}",
        "organisation": portal.government.pk,
        "description": "县城供水管网改造工程的招标文件",
        "provision_form": "paper",
        "obtain_method": "post",
        "applicant_kind": "natural",
        "name": "李四",
        "id_number": "11010519491231002X",
        "credit_code": "",
        "contact": "",
        "phone": "13900001111",
        "email": "",
        "address": "木垒县人民路2号",
        "lookup_password": "",
    }
    data.update(values)
    return data


def test_a_posted_application_counts_from_the_signed_for_day(client, portal, staff):
    login_verified(client, staff["clerk"])
    data = entry(portal)
    response = client.post(reverse("disclosure_requests_new"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    case = Case.objects.get()
    signed = date.fromisoformat(data["signed_on"])
    assert (case.channel, case.received_on) == (Channel.POST, signed)
    assert case.due_on == add_workdays(signed, 20).date
    assert case.disclosure_request.obtain_method == "post"


def test_entry_errors_are_shown_in_chinese(client, portal, staff):
    login_verified(client, staff["clerk"])
    response = client.post(reverse("disclosure_requests_new"), entry(portal, signed_on="", id_number=""))
    html = response.content.decode()
    assert response.status_code == 200 and "签收日期" in html and "自然人申请请填写身份证号码" in html
    assert not Case.objects.exists()


def test_only_the_head_is_offered_and_may_record_an_extension(client, portal, staff):
    case = received(portal.government, day=timezone.localdate())
    detail = reverse("casework_detail", args=[case.pk])
    act = reverse("casework_act", args=[case.pk, Event.EXTENDED])
    login_verified(client, staff["clerk"])
    assert f'action="{act}"' not in client.get(detail).content.decode()
    refused = client.post(act, {"extended-days": 5, "extended-note": "x"})
    # Wagtail answers a refused admin action by sending the user to the dashboard with a message.
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert not case.events.filter(kind=Event.EXTENDED).exists()
    client.logout()
    login_verified(client, staff["head"])
    assert f'action="{act}"' in client.get(detail).content.decode()
    client.post(act, {"extended-days": 20, "extended-note": "需调取档案"})
    assert case.events.filter(kind=Event.EXTENDED).count() == 1
    assert f'action="{act}"' not in client.get(detail).content.decode()  # once only


def test_the_reviewer_replies_with_an_outcome_chosen_by_its_chinese_label(client, portal, staff):
    case = received(portal.government, day=timezone.localdate())
    login_verified(client, staff["clerk"])
    client.post(reverse("casework_act", args=[case.pk, Event.ACCEPTED]), {"accepted-note": ""})
    client.post(
        reverse("casework_act", args=[case.pk, Event.REPLY_DRAFTED]),
        {"reply_drafted-note": "经检索，本机关不掌握该信息。"},
    )
    client.logout()
    login_verified(client, staff["reviewer"])
    page = client.get(reverse("casework_detail", args=[case.pk])).content.decode()
    assert "（四）无法提供 · 1.本机关不掌握相关政府信息" in page
    act = reverse("casework_act", args=[case.pk, Event.REPLIED])
    client.post(act, {"replied-note": ""})  # no outcome: refused
    case.refresh_from_db()
    assert case.status == "reviewing"
    client.post(act, {"replied-outcome": "unavailable.not_held", "replied-note": ""})
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("replied", "unavailable.not_held")
    letter = letter_of(case)
    assert client.get(reverse("casework_attachment", args=[letter.pk])).status_code == 200


def test_office_lists(client, portal, staff):
    today = timezone.localdate()
    due_soon = received(portal.government, day=today - timedelta(days=26))
    overdue = received(portal.government, day=today - timedelta(days=60))
    correcting = received(portal.government, day=today)
    services.request_correction(correcting, actor=staff["clerk"], text="写明文号", due_on=today + timedelta(days=15))
    consulting = received(portal.government, day=today)
    services.start_consultation(consulting, actor=staff["clerk"], consulted="某公司")
    answered = received(portal.government, day=today)
    services.reply(answered, actor=staff["reviewer"], outcome="public", text="予以公开。")
    login_verified(client, staff["clerk"])
    lists_url = reverse("disclosure_requests_lists")

    def codes(which, **extra):
        html = client.get(lists_url, {"list": which, **extra}).content.decode()
        return {case.display_code for case in Case.objects.all() if case.display_code in html}

    due_soon.refresh_from_db()
    if add_workdays(today, 5).date >= due_soon.due_on >= today:
        assert due_soon.display_code in codes("due_soon")
    assert codes("overdue") == {overdue.display_code}
    assert codes("corrections") == {correcting.display_code}
    assert codes("paused") == {consulting.display_code}
    assert codes("answered", outcome="public") == {answered.display_code}
    assert overdue.display_code in codes("notice")  # never screened: past the 7-wd correction notice window


def test_the_application_page_offers_the_steps_and_refuses_a_future_day(client, portal, staff):
    case = received(portal.government, day=timezone.localdate())
    login_verified(client, staff["clerk"])
    panel = reverse("disclosure_requests_case", args=[case.pk])
    html = client.get(panel).content.decode()
    assert "发出补正通知" in html and "征求第三方或其他机关意见" in html and "收到补正" not in html
    tomorrow = timezone.localdate() + timedelta(days=1)
    consult = reverse("disclosure_requests_step", args=[case.pk, "consult"])
    client.post(consult, {"consult-consulted": "某公司", "consult-day": f"{tomorrow:%Y-%m-%d}"})
    case.refresh_from_db()
    assert not case.paused
    client.post(consult, {"consult-consulted": "某公司", "consult-day": f"{timezone.localdate():%Y-%m-%d}"})
    case.refresh_from_db()
    assert case.paused and case.disclosure_request.consulted == "某公司"
    html = client.get(panel).content.decode()
    assert "收到意见" in html and "发出补正通知" not in html
    # The kernel's generic pause and resume are not offered for applications (the notices go through here).
    detail = client.get(reverse("casework_detail", args=[case.pk])).content.decode()
    assert reverse("casework_act", args=[case.pk, Event.RESUMED]) not in detail
    assert panel in detail  # the workspace links to the application page
