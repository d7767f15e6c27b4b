"""Hotline work orders through the admin: 受理 → 派单 → 办理 → 答复 → 督办 → 办结 → 回访 → 评价, and 退单."""

from datetime import date

import pytest
from django.urls import reverse

from zhengtong.casework import hotline, services
from zhengtong.casework.forms import available_events
from zhengtong.casework.models import Case
from zhengtong.casework.workflow import CallBack, Event, Rating, Status, TransitionError
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db


def call(client, **changes):
    """The operator records a call on the entry page; returns the case."""
    data = {
        "kind": "hotline",
        "category": "complaint",
        "channel": "phone",
        "received_at": "2026-09-30T09:15",
        "organisation": changes.pop("organisation"),
        "subject": "小区楼道积水",
        "content": "幸福小区 3 号楼楼道积水一周，无人处理。",
        "applicant_kind": "natural",
        "name": "王芳",
        "phone": "13800001234",
    }
    data.update(changes)
    response = client.post(reverse("casework_new"), data)
    assert response.status_code == 302, response.content.decode()
    return Case.objects.get(subject=data["subject"])


def act(client, case, action, **fields):
    response = client.post(
        reverse("casework_act", args=[case.pk, action]), {f"{action}-{k}": v for k, v in fields.items()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    return response


def page(client, case) -> str:
    return client.get(reverse("casework_detail", args=[case.pk])).content.decode()


def test_an_order_from_call_to_rating(client, county, people):
    office, housing, _water = county
    login_verified(client, people["operator"])
    order = call(client, organisation=office.pk)
    # Complaint: 13 wd from Wed 30 Sep 2026 (day 0). 1–7 Oct National Day; 8 (1) 9 (2) 10 Sat make-up (3)
    # 12–16 (8) 19–23 (13): due Fri 23 Oct.
    assert order.received_on == date(2026, 9, 30) and order.due_on == date(2026, 10, 23)
    assert order.channel == "phone" and order.limit_days == 13
    body = page(client, order)
    assert "已受理" in body and "派单" in body and order.display_code in body
    assert available_events(order, people["operator"])[:2] == [hotline.DISPATCH, hotline.ANSWER]
    assert available_events(order, people["clerk"]) == []  # not theirs (yet)

    act(client, order, hotline.DISPATCH, organisation=housing.pk, category="complaint", note="请核实处理")
    assert order.status == Status.ASSIGNED and order.organisation == housing
    assert not order.events.get(kind=Event.ASSIGNED).public  # the operator's instruction stays internal
    assert order.due_on == date(2026, 10, 23)  # dispatching does not restart the clock
    assert "已派单" in page(client, order)
    # The operators keep following the order but do not answer for the department.
    assert available_events(order, people["operator"]) == [Event.REMINDED, Event.WITHDRAWN, Event.NOTE]

    login_verified(client, people["clerk"])
    actions = available_events(order, people["clerk"])
    assert Event.REPLIED in actions and hotline.RETURN in actions
    assert Event.REPLY_DRAFTED not in actions and hotline.DISPATCH not in actions and Event.CALLED_BACK not in actions

    login_verified(client, people["supervisor"])
    assert available_events(order, people["supervisor"]) == [Event.REMINDED, Event.SUPERVISED, Event.NOTE]
    act(client, order, Event.SUPERVISED, note="请尽快处理，10 月 20 日前答复")
    assert order.supervised

    login_verified(client, people["clerk"])
    act(client, order, Event.REPLIED, note="已组织物业疏通排水管，积水已清除。")
    assert order.status == Status.REPLIED  # no review step for the hotline
    assert order.events.get(kind=Event.REPLIED).public

    login_verified(client, people["operator"])
    assert order in hotline.operator_queues(people["operator"])["call_back"]
    act(client, order, Event.CLOSED)
    assert order.status == Status.CLOSED
    act(client, order, Event.CALLED_BACK, reached=CallBack.REACHED, rating=Rating.SATISFIED, note="来电人确认已处理")
    assert order.rating == Rating.SATISFIED
    back = order.events.get(kind=Event.CALLED_BACK)
    assert back.outcome == CallBack.REACHED and back.actor == people["operator"]
    assert order.events.get(kind=Event.RATED).rating == Rating.SATISFIED
    assert order not in hotline.operator_queues(people["operator"])["call_back"]
    body = page(client, order)
    assert "已联系上" in body and "满意" in body and "已办结" in body


def test_a_wrongly_dispatched_order_goes_back_to_the_operators(client, county, people):
    office, housing, water = county
    login_verified(client, people["operator"])
    order = call(client, organisation=office.pk, subject="自来水停水", category="help")
    act(client, order, hotline.DISPATCH, organisation=housing.pk, category="help")

    login_verified(client, people["clerk"])
    client.post(reverse("casework_act", args=[order.pk, hotline.RETURN]), {"return-note": ""})
    order.refresh_from_db()
    assert order.organisation == housing  # a return needs its reason
    act(client, order, hotline.RETURN, note="供水归水务局管理，请改派水务局。")
    assert order.organisation == office and order.status == Status.ASSIGNED
    event = order.events.get(kind=Event.TRANSFERRED)
    assert event.outcome == hotline.RETURNED and not event.public
    assert client.get(reverse("casework_detail", args=[order.pk])).status_code == 404  # no longer theirs
    assert hotline.event_label(event) == "退单"

    login_verified(client, people["operator"])
    assert hotline.status_label(order) == "已退单（待重新派单）"
    assert list(hotline.operator_queues(people["operator"])["returned"]) == [order]
    desk = client.get(reverse("casework_hotline")).content.decode()
    assert order.display_code in desk and "被退回的工单" in desk
    act(client, order, hotline.DISPATCH, organisation=water.pk, category="help")
    assert order.organisation == water
    assert not hotline.operator_queues(people["operator"])["returned"].exists()


def test_the_operator_answers_a_simple_question_on_the_spot(client, county, people):
    login_verified(client, people["operator"])
    order = call(client, organisation=county[0].pk, subject="办居住证要带什么", category="consult")
    client.post(reverse("casework_act", args=[order.pk, hotline.ANSWER]), {"answer-note": ""})
    order.refresh_from_db()
    assert order.status == Status.RECEIVED  # an answer needs its text
    act(client, order, hotline.ANSWER, note="请带身份证和居住地址证明到派出所户籍窗口办理。")
    assert order.status == Status.CLOSED and order.organisation == county[0]
    assert order.events.get(kind=Event.REPLIED).public
    assert order not in hotline.operator_queues(people["operator"])["call_back"]  # no department to check on


def test_a_changed_category_sets_the_limit_anew(county, people):
    office, housing, _water = county
    order = services.submit(
        "hotline",
        subject="问路灯报修电话",
        content="想问路灯坏了打哪个电话。",
        organisation=office,
        category="complaint",
        channel="phone",
        received_at=_at(2026, 9, 30),
    )
    hotline.dispatch(order, housing, actor=people["operator"], category="consult")
    order.refresh_from_db()
    # Consultation: 3 wd from 30 Sep: 8 (1) 9 (2) 10 Sat make-up (3).
    assert order.category == "consult" and order.due_on == date(2026, 10, 10)
    with pytest.raises(TransitionError):
        hotline.dispatch(order, housing, actor=people["operator"])


def test_urgent_orders_are_due_the_same_day(county):
    order = services.submit(
        "hotline",
        subject="燃气泄漏",
        content="闻到燃气味。",
        organisation=county[0],
        category="urgent",
        channel="phone",
        received_at=_at(2026, 10, 2),
    )
    assert order.limit_days == 0 and order.due_on == date(2026, 10, 2)


def test_a_call_back_that_did_not_reach_the_caller_records_no_rating(client, county, people):
    office, housing, _water = county
    order = services.submit(
        "hotline",
        subject="噪音",
        content="夜间施工噪音。",
        organisation=office,
        category="complaint",
        channel="phone",
        applicant={"name": "李强", "phone": "13900001111"},
    )
    hotline.dispatch(order, housing, actor=people["operator"])
    services.record_event(order, Event.REPLIED, actor=people["clerk"], note="已责令停工。")
    login_verified(client, people["operator"])
    act(client, order, Event.CALLED_BACK, reached=CallBack.NOT_REACHED, rating=Rating.SATISFIED, note="无人接听")
    assert not order.events.filter(kind=Event.CALLED_BACK).exists()
    act(client, order, Event.CALLED_BACK, reached=CallBack.NOT_REACHED, note="无人接听")
    assert order.events.get(kind=Event.CALLED_BACK).outcome == CallBack.NOT_REACHED and order.rating == ""
    assert order in hotline.operator_queues(people["operator"])["call_back"]  # still to call back
    act(client, order, Event.RATED, rating=Rating.BASICALLY_SATISFIED)  # the caller rang back to rate
    assert order.rating == Rating.BASICALLY_SATISFIED


def test_the_desk_lists_new_orders_and_is_for_registrars_only(client, county, people):
    order = services.submit(
        "hotline",
        subject="井盖丢失",
        content="人民路井盖丢失。",
        organisation=county[0],
        category="urgent",
        channel="phone",
        actor=people["operator"],
    )
    login_verified(client, people["operator"])
    body = client.get(reverse("casework_hotline")).content.decode()
    assert order.display_code in body and "待派单（1）" in body
    login_verified(client, people["clerk"])
    refused = client.get(reverse("casework_hotline"))  # Wagtail turns PermissionDenied into a redirect home
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def _at(year, month, day):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(year, month, day, 10, 0))
