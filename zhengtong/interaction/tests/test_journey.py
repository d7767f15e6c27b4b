"""Done when: a letter is written on the portal, a clerk replies, the writer reads it by code and rates it,
and the letter appears masked in the public list."""

import re

import pytest

from zhengtong.casework.models import Case
from zhengtong.interaction import services
from zhengtong.interaction.tests.conftest import letter_data, reply
from zhengtong.interaction.tests.test_publication import clerk  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def url(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args or None)


def test_letter_to_reply_to_rating_to_public_list(web, mailbox, clerk):  # noqa: F811
    written = web.post(
        url(mailbox, "write"),
        letter_data(
            content="县一中门口的路灯坏了一个多月，请联系我 13800001234。", publish_consent="on", name="张晓燕"
        ),
    )
    receipt = web.get(written["Location"]).text
    code = re.search(r"<strong>(\w{4}-\w{4}-\w{4})</strong>", receipt).group(1)
    web.cookies.clear()

    case = Case.objects.get()
    reply(case, "张女士您好：路灯已于本周修复，感谢监督。", staff=clerk)

    found = web.post(url(mailbox, "lookup"), {"tracking_code": code, "check_secret": "1234"})
    track = web.get(found["Location"])
    assert "路灯已于本周修复" in track.text
    assert web.post(found["Location"], {"action": "rate", "rating": "satisfied"}).status_code == 302
    case.refresh_from_db()
    assert case.rating == "satisfied"

    draft = services.draft_publication(case)
    services.publish(case, subject=draft.subject, content=draft.content, reply=draft.reply, actor=clerk)
    listing = web.get(url(mailbox, "letters")).text
    assert "一中门口路灯不亮" in listing and "张某" in listing and "张晓燕" not in listing
    letter = web.get(url(mailbox, "letter", case.publication.pk)).text
    assert "138****1234" in letter and "13800001234" not in letter

    figures = web.get(url(mailbox, "figures")).text
    assert "100%" in figures  # replied on time, rated satisfied
