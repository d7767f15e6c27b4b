"""The staff workspace: offices see their own cases, act through forms, reviewers approve replies."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from zhengtong.casework import services
from zhengtong.casework.models import Case
from zhengtong.casework.workflow import Event, Status
from zhengtong.core.models import Organisation, User

pytestmark = pytest.mark.django_db


def staff(username, organisation, *codenames):
    user = User.objects.create_user(username=username, password="x", organisation=organisation)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        *Permission.objects.filter(content_type__app_label="zt_casework", codename__in=codenames),
    )
    return user


@pytest.fixture
def county():
    office = Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")
    bureau = Organisation.objects.create(name="县教育局", short_name="教育局", code="木教", parent=office)
    other = Organisation.objects.create(name="县住建局", short_name="住建局", code="木建")
    return office, bureau, other


@pytest.fixture
def letter(county):
    return services.submit(
        "mailbox", subject="路灯不亮", content="一中门口路灯坏了。", organisation=county[0], category="help"
    )


def test_offices_see_their_own_and_their_units_cases_only(client, county, letter):
    _office, bureau, other = county
    services.record_event(letter, Event.ACCEPTED)
    services.record_event(letter, Event.ASSIGNED, organisation=bureau)
    client.force_login(staff("bureau_clerk", bureau, "view_case", "change_case"))
    body = client.get(reverse("casework_index")).content.decode()
    assert letter.display_code in body
    client.force_login(staff("other_clerk", other, "view_case", "change_case"))
    assert letter.display_code not in client.get(reverse("casework_index")).content.decode()
    assert client.get(reverse("casework_detail", args=[letter.pk])).status_code == 404
    client.force_login(staff("supervisor", other, "view_case", "supervise_case"))
    assert letter.display_code in client.get(reverse("casework_index")).content.decode()


def test_clerk_drafts_reviewer_approves_and_the_draft_becomes_the_reply(client, county, letter):
    office = county[0]
    clerk = staff("clerk", office, "view_case", "change_case")
    client.force_login(clerk)
    detail = reverse("casework_detail", args=[letter.pk])
    client.post(reverse("casework_act", args=[letter.pk, Event.ACCEPTED]), {"accepted-note": ""})
    client.post(reverse("casework_act", args=[letter.pk, Event.ASSIGNED]), {"assigned-organisation": office.pk})
    response = client.post(
        reverse("casework_act", args=[letter.pk, Event.REPLY_DRAFTED]), {"reply_drafted-note": "已修好。"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Status.REVIEWING
    # The clerk cannot approve their own reply.
    assert "审核意见" not in client.get(detail).content.decode()
    client.post(reverse("casework_act", args=[letter.pk, Event.REPLIED]), {})
    letter.refresh_from_db()
    assert letter.status == Status.REVIEWING

    client.force_login(staff("chief", office, "view_case", "change_case", "review_case_reply"))
    client.post(reverse("casework_act", args=[letter.pk, Event.REPLIED]), {"replied-note": "同意"})
    letter.refresh_from_db()
    assert letter.status == Status.REPLIED
    reply = letter.events.get(kind=Event.REPLIED)
    assert reply.note == "已修好。" and reply.public
    assert letter.events.filter(kind=Event.NOTE, note="同意", public=False).exists()


def test_bad_input_is_explained_and_nothing_is_stored(client, county, letter):
    client.force_login(staff("clerk", county[0], "view_case", "change_case"))
    reject = reverse("casework_act", args=[letter.pk, Event.REJECTED])
    response = client.post(reject, {"rejected-note": ""}, follow=True)
    assert "不予受理的理由" in response.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("casework_act", args=[letter.pk, Event.PAUSED]),
        {"paused-note": "等材料", "paused-day": tomorrow.isoformat()},
        follow=True,
    )
    assert "不能晚于今天" in response.content.decode()
    assert Case.objects.get(pk=letter.pk).events.count() == 1


def test_supervision_lists_overdue_cases_and_the_veto(client, county):
    office = county[0]
    old = services.submit(
        "mailbox",
        subject="四个月前的来信",
        content="……",
        organisation=office,
        received_at=timezone.now() - timedelta(days=130),
    )
    client.force_login(staff("supervisor", office, "view_case", "supervise_case"))
    body = client.get(reverse("casework_supervision")).content.decode()
    assert old.display_code in body and "已超期" in body
    veto_section = body.split("即将到期和已超期")[0]
    assert old.display_code in veto_section
    client.force_login(staff("clerk", office, "view_case"))
    assert old.display_code not in client.get(reverse("casework_supervision"), follow=True).content.decode()


def test_provisional_due_dates_are_marked(client, county):
    from zhengtong.core.models import CalendarYear

    CalendarYear.objects.filter(year__gte=2027).delete()
    case = services.submit(
        "mailbox", subject="年底来信", content="……", organisation=county[0], received_on=date(2026, 12, 28)
    )
    client.force_login(staff("clerk", county[0], "view_case"))
    assert "暂定" in client.get(reverse("casework_detail", args=[case.pk])).content.decode()
    assert "暂定" in client.get(reverse("casework_index")).content.decode()


def test_applicant_is_masked_in_the_workspace_and_revealed_only_with_the_right(client, county):
    case = services.submit(
        "mailbox",
        subject="路灯",
        content="……",
        organisation=county[0],
        applicant={"name": "张晓燕", "phone": "13800001234", "id_number": "11010519491231002X"},
    )
    client.force_login(staff("clerk", county[0], "view_case"))
    body = client.get(reverse("casework_detail", args=[case.pk])).content.decode()
    assert "张某" in body and "138****1234" in body and "110105********002X" in body
    assert "张晓燕" not in body and "13800001234" not in body and "查看完整信息" not in body
    officer = staff("officer", county[0], "view_case")
    officer.user_permissions.add(Permission.objects.get(codename="view_full_personal_data"))
    from zhengtong.twofactor.testing import login_verified

    login_verified(client, User.objects.get(pk=officer.pk))  # seeing full personal data needs two factors
    body = client.get(reverse("casework_detail", args=[case.pk])).content.decode()
    assert "查看完整信息" in body and "13800001234" not in body  # still masked until revealed (audited)
