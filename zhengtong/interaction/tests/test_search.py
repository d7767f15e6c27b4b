"""Published letters are found by the platform search; unpublished ones are not."""

import pytest

from zhengtong.casework import services as casework
from zhengtong.interaction import services
from zhengtong.interaction.tests.conftest import reply
from zhengtong.search.query import search

pytestmark = pytest.mark.django_db


def test_published_letters_are_searchable_until_unpublished(mailbox, portal, admin_user):
    case = casework.submit(
        "mailbox",
        subject="东环路增设公交站点",
        content="建议在东环路增设公交站点。",
        organisation=portal.government,
        applicant={"name": "马建国", "phone": "13899904321"},
        publish_consent=True,
    )
    reply(case, "已增设东环路站。")
    assert search("公交站点").documents == []
    publication = services.publish(
        case, subject=case.subject, content=case.content, reply="已增设东环路站。", actor=admin_user
    )
    found = search("公交站点").documents
    assert [d.title for d in found] == ["东环路增设公交站点"]
    assert found[0].url == mailbox.url + f"letters/{publication.pk}/"
    assert search("马建国").documents == []  # the writer's name is not in the public texts
    services.unpublish(case, actor=admin_user)
    assert search("公交站点").documents == []
    services.publish(case, subject=case.subject, content=case.content, reply="已增设。", actor=admin_user)
    case.delete()
    assert search("公交站点").documents == []
