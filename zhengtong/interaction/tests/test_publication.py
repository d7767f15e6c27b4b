"""Publication: only consented AND published letters, masked; staff refused without consent or reply; audited."""

import pytest
from django.contrib.auth.models import Group, Permission

from zhengtong.audit.models import AuditRecord
from zhengtong.casework import services as casework
from zhengtong.interaction import services
from zhengtong.interaction.models import Publication
from zhengtong.interaction.tests.conftest import reply
from zhengtong.portal.testing import make_staff
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db


def url(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args or None)


def submit(portal, consent=True, subject="一中门口路灯不亮", content="路灯坏了，请联系我13800001234。", name="张晓燕"):
    return casework.submit(
        "mailbox",
        category="help",
        subject=subject,
        content=content,
        organisation=portal.government,
        applicant={"name": name, "phone": "13800001234", "email": "zxy@example.com"},
        publish_consent=consent,
    )


@pytest.fixture
def clerk(portal):
    """A county-office clerk who handles cases and may publish letters."""
    group = Group.objects.create(name="信件公开")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["view_case", "change_case", "publish_letter", "access_admin"],
            content_type__app_label__in=["zt_casework", "zt_interaction", "wagtailadmin"],
        )
    )
    return make_staff("clerk", portal.government, "信件公开")


def test_draft_is_prefilled_with_the_originals_masked(portal):
    case = submit(portal)
    reply(case, "已修好。如有问题请联系0994-4822123或lamp@example.com。")
    draft = services.draft_publication(case)
    assert draft.pk is None
    assert "13800001234" not in draft.content and "138****1234" in draft.content
    assert "0994-4822123" not in draft.reply and "l***@example.com" in draft.reply


def test_published_list_shows_only_consented_and_published_letters_masked(web, mailbox, portal, clerk):
    published = submit(portal, subject="公开的信")
    reply(published)
    no_consent = submit(portal, consent=False, subject="不同意公开的信")
    reply(no_consent)
    not_chosen = submit(portal, subject="没选公开的信")
    reply(not_chosen)

    draft = services.draft_publication(published)
    services.publish(published, subject=draft.subject, content=draft.content, reply=draft.reply, actor=clerk)
    with pytest.raises(services.InteractionError, match="没有同意公开"):
        services.publish(no_consent, subject="x", content="x", reply="x", actor=clerk)

    listing = web.get(url(mailbox, "letters"))
    assert "公开的信" in listing.text
    assert "不同意公开的信" not in listing.text and "没选公开的信" not in listing.text
    assert "张某" in listing.text and "张晓燕" not in listing.text
    publication = Publication.objects.get()
    letter = web.get(url(mailbox, "letter", publication.pk))
    assert letter.status_code == 200 and "138****1234" in letter.text and "13800001234" not in letter.text
    assert "zxy@example.com" not in letter.text and "路灯已于本周修好" in letter.text

    # Unpublished: gone from the list and its page.
    services.unpublish(published, actor=clerk)
    assert "公开的信" not in web.get(url(mailbox, "letters")).text
    assert web.get(url(mailbox, "letter", publication.pk)).status_code == 404
    actions = list(
        AuditRecord.objects.filter(action__startswith="interaction.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["interaction.publish", "interaction.unpublish"]


def test_search_and_paging_of_the_published_list(web, mailbox, portal, clerk):
    for n in range(23):
        case = submit(portal, subject=f"第{n}封信" + ("供暖" if n % 2 else "道路"))
        reply(case)
        services.publish(case, subject=case.subject, content=case.content, reply="已办理。", actor=clerk)
    first = web.get(url(mailbox, "letters"))
    assert "第 1 页，共 2 页" in first.text
    found = web.get(url(mailbox, "letters"), {"q": "供暖"})
    assert "找到 11 封" in found.text and "道路" not in found.text.split("<tbody>")[1].split("</tbody>")[0]
    nothing = web.get(url(mailbox, "letters"), {"q": "火星"})
    assert "没有找到" in nothing.text
    page2 = web.get(url(mailbox, "letters"), {"q": "信", "page": "2"})
    # Paging keeps the search: the link back to page 1 carries the query.
    assert page2.status_code == 200 and "第 2 页，共 2 页" in page2.text and "?q=%E4%BF%A1&amp;page=1" in page2.text


def test_staff_page_refuses_without_consent_or_reply(client, portal, clerk):
    login_verified(client, clerk)
    no_consent = submit(portal, consent=False)
    reply(no_consent)
    page = client.get(f"/admin/interaction/publication/{no_consent.pk}/")
    assert page.status_code == 200 and "没有同意公开" in page.text
    response = client.post(
        f"/admin/interaction/publication/{no_consent.pk}/", {"subject": "标题", "content": "内容", "reply": "答复"}
    )
    assert not Publication.objects.filter(case=no_consent).exists()
    assert response.status_code == 200

    unanswered = submit(portal)
    client.post(
        f"/admin/interaction/publication/{unanswered.pk}/", {"subject": "标题", "content": "内容", "reply": "答复"}
    )
    assert not Publication.objects.filter(case=unanswered).exists()


def test_staff_publish_and_unpublish_from_the_case(client, web, mailbox, portal, clerk):
    login_verified(client, clerk)
    case = submit(portal)
    reply(case)
    detail = client.get(f"/admin/cases/{case.pk}/")
    assert f"/admin/interaction/publication/{case.pk}/" in detail.text and "公开来信" in detail.text
    form = client.get(f"/admin/interaction/publication/{case.pk}/")
    assert "138****1234" in form.text and "13800001234" not in form.text
    response = client.post(
        f"/admin/interaction/publication/{case.pk}/",
        {"action": "publish", "subject": "路灯不亮", "content": "路灯坏了。", "reply": "已修好。"},
    )
    assert response.status_code == 302
    publication = Publication.objects.get(case=case)
    assert publication.published and publication.published_by == clerk
    assert "路灯不亮" in web.get(url(mailbox, "letters")).text
    client.post(f"/admin/interaction/publication/{case.pk}/", {"action": "unpublish"})
    assert not Publication.objects.get(case=case).published


def test_staff_without_the_publish_permission_or_the_case_are_refused(client, portal, clerk):
    handler_only = make_staff("handler", portal.government)
    handler_only.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_case", "change_case", "access_admin"],
            content_type__app_label__in=["zt_casework", "wagtailadmin"],
        )
    )
    case = submit(portal)
    reply(case)
    login_verified(client, handler_only)
    refused = client.get(f"/admin/interaction/publication/{case.pk}/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's answer to PermissionDenied
    client.post(f"/admin/interaction/publication/{case.pk}/", {"subject": "x", "content": "x", "reply": "x"})
    assert not Publication.objects.exists()
    assert "公开来信" not in client.get(f"/admin/cases/{case.pk}/").text

    other = make_staff("teacher", portal.department)
    other.user_permissions.add(*clerk.groups.get().permissions.all())
    client.logout()
    login_verified(client, other)
    assert client.get(f"/admin/interaction/publication/{case.pk}/").status_code == 404  # not a case they can see


def test_published_list_queries_do_not_grow_with_its_rows(web, mailbox, portal, clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish_some(n):
        for i in range(n):
            case = submit(portal, subject=f"信{i}")
            reply(case)
            services.publish(case, subject=case.subject, content=case.content, reply="已办理。", actor=clerk)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert web.get(url(mailbox, "letters")).status_code == 200
        return len(captured)

    from zhengtong.portal.models import FooterSettings

    FooterSettings.for_site(portal.site)  # created on the first render otherwise
    publish_some(2)
    few = count()
    publish_some(10)
    assert count() == few
