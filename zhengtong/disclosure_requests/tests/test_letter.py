"""The reply letter opened and read: decision words, legal basis, where it is public, remedies, office, date."""

import re
from datetime import date

import pytest

from zhengtong.core.pdf import pdf_text
from zhengtong.disclosure_requests import services
from zhengtong.disclosure_requests.letters import decision_text, letter_of
from zhengtong.disclosure_requests.tests.conftest import received
from zhengtong.notifications.models import Message

pytestmark = pytest.mark.django_db


def read(case) -> str:
    """The letter's text without the page numbers (— 1 —) a page break puts inside a sentence."""
    return re.sub(r"—\d+—", "", pdf_text(letter_of(case).file.read()))


def test_already_public_says_where_and_gives_the_remedies(portal, disclosure, staff):
    case = received(portal.government, day=date(2026, 4, 22))
    services.reply(
        case,
        actor=staff["reviewer"],
        outcome="public",
        text="您申请的文件已主动公开。",
        where_public="县人民政府门户网站“信息公开—政策文件”栏目（索引号 11652328010000000X-01-2025-0012）",
    )
    text = read(case)
    assert text.startswith("政府信息公开申请答复告知书")
    assert "张晓燕" in text  # the letter is addressed to the applicant by full name
    assert "2026年4月22日收到" in text and case.display_code in text
    assert "根据《中华人民共和国政府信息公开条例》第三十六条第（一）（二）项的规定" in text and "予以公开" in text
    assert "索引号11652328010000000X-01-2025-0012" in text
    assert "60日内向昌吉回族自治州人民政府申请行政复议" in text and "《中华人民共和国行政复议法》第二十条" in text
    assert "6个月内向木垒哈萨克自治县人民法院提起行政诉讼" in text and "《中华人民共和国行政诉讼法》第四十六条" in text
    assert "县人民政府办公室" in text and "0994-4821234" in text
    assert "不收取费用" in text


def test_refusal_names_its_sub_reason_and_article(portal, disclosure, staff):
    case = received(portal.government)
    services.reply(case, actor=staff["reviewer"], outcome="refuse.process", text="该信息属于过程性信息。")
    text = read(case)
    assert decision_text("refuse.process") == "不予公开（属于四类过程性信息）"
    assert "不予公开（属于四类过程性信息）" in text and "第十六条第二款、第三十六条第（三）项" in text


def test_without_an_office_record_the_remedies_still_read(portal, staff):
    case = received(portal.government)
    services.reply(case, actor=staff["reviewer"], outcome="unavailable.not_held", text="本机关不掌握。")
    text = read(case)
    assert "本机关的上一级行政机关申请行政复议" in text and "有管辖权的人民法院" in text


def test_the_applicant_is_told_of_the_extension(portal, staff, django_capture_on_commit_callbacks):
    case = received(portal.government)
    with django_capture_on_commit_callbacks(execute=True):
        services.extend(case, actor=staff["head"], days=20, reason="需要调取档案")
    case.refresh_from_db()
    sms = Message.objects.filter(case=case, template="case_extended").first()
    assert sms is not None and "20 个工作日" in sms.body and f"{case.due_on.month}月{case.due_on.day}日" in sms.body
