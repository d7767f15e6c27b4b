"""A kind's own rules on events: outcomes a reply must name, the withdrawal outcome, extension limits and
permission, and the in-transaction signal whose receiver can undo an event."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from zhengtong.casework import services
from zhengtong.casework.kinds import CaseKind, _registry, register
from zhengtong.casework.signals import case_event_stored
from zhengtong.casework.workflow import Event, TransitionError
from zhengtong.core.models import Organisation, User

pytestmark = pytest.mark.django_db

STRICT = CaseKind(
    code="strict_test",
    label="测试",
    categories={"x": "x"},
    limits={"x": 10},
    default_limit="x",
    review_reply=False,
    outcome_choices=lambda: [("yes", "是"), ("no", "否")],
    withdrawn_outcome="no",
    extension_limit=1,
    extension_max_days=5,
    extension_permission="zt_casework.supervise_case",
)


@pytest.fixture(autouse=True)
def strict_kind():
    register(STRICT)
    yield
    _registry.pop(STRICT.code)


@pytest.fixture
def office():
    return Organisation.objects.create(name="县政府办", short_name="县政府办", code="木政办")


def case_of(office):
    return services.submit(
        STRICT.code, subject="s", content="c", organisation=office, category="x", received_on=date(2026, 3, 2)
    )


def test_reply_must_name_one_of_the_outcomes(office):
    case = case_of(office)
    services.record_event(case, Event.ACCEPTED)
    with pytest.raises(TransitionError):
        services.record_event(case, Event.REPLIED, note="答复", outcome="maybe")
    services.record_event(case, Event.REPLIED, note="答复", outcome="yes")
    assert case.outcome == "yes"


def test_withdrawal_records_the_kinds_outcome(office):
    case = case_of(office)
    services.record_event(case, Event.WITHDRAWN, note="撤回")
    assert case.outcome == "no"


def test_extension_needs_the_permission_and_happens_once_within_the_maximum(office):
    case = case_of(office)
    plain = User.objects.create_user(username="plain", password="x", organisation=office)
    head = User.objects.create_user(username="head", password="x", organisation=office)
    head.user_permissions.add(Permission.objects.get(codename="supervise_case"))
    head = User.objects.get(pk=head.pk)
    with pytest.raises(TransitionError):
        services.record_event(case, Event.EXTENDED, actor=plain, days=3, note="延期")
    with pytest.raises(TransitionError):
        services.record_event(case, Event.EXTENDED, actor=None, days=3, note="延期")
    with pytest.raises(TransitionError):
        services.record_event(case, Event.EXTENDED, actor=head, days=6, note="延期")
    services.record_event(case, Event.EXTENDED, actor=head, days=5, note="延期")
    with pytest.raises(TransitionError):
        services.record_event(case, Event.EXTENDED, actor=head, days=1, note="再延期")
    assert case.limit_days == 15


def test_a_receiver_of_case_event_stored_that_raises_undoes_the_event(office):
    case = case_of(office)

    def refuse(sender, event, **kwargs):
        if event.kind == Event.ACCEPTED:
            raise RuntimeError("no")

    case_event_stored.connect(refuse)
    try:
        with pytest.raises(RuntimeError):
            services.record_event(case, Event.ACCEPTED)
    finally:
        case_event_stored.disconnect(refuse)
    case.refresh_from_db()
    assert case.status == "received" and case.events.count() == 1


def test_a_case_withdrawn_while_paused_is_no_longer_paused(office):
    case = case_of(office)
    services.record_event(case, Event.PAUSED, day=date(2026, 3, 3), note="等待补充材料")
    assert case.paused
    services.record_event(case, Event.WITHDRAWN, note="逾期未补充")
    assert (case.status, case.paused) == ("closed", False)
