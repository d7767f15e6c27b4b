"""Writing a letter through the page, without JavaScript: receipt, errors, the rate-limit challenge."""

import re

import pytest

from zhengtong.casework.models import Applicant, Case
from zhengtong.core.pagecache import cache_key
from zhengtong.interaction.tests.conftest import letter_data

pytestmark = pytest.mark.django_db


def url(page, name=""):
    return page.url + (page.reverse_subpage(name) if name else "")


def test_pages_of_the_mailbox_render_in_the_portal_layout(web, mailbox):
    for name in ("", "write", "lookup", "letters", "figures"):
        response = web.get(url(mailbox, name))
        assert response.status_code == 200, name
        assert "跳到主要内容" in response.text  # portal/base.html: skip link, header, footer
        assert "县长信箱" in response.text


def test_write_a_letter_and_get_a_receipt_with_code_and_due_date(web, mailbox):
    form = web.get(url(mailbox, "write"))
    assert 'name="publish_consent"' in form.text and "checked" not in form.text.split('name="publish_consent"')[1][:40]
    response = web.post(url(mailbox, "write"), letter_data(publish_consent="on"))
    assert response.status_code == 302 and response["Location"].endswith("/receipt/")
    case = Case.objects.get()
    assert case.kind == "mailbox" and case.category == "help" and case.channel == "web"
    assert case.organisation == mailbox.organisation and case.publish_consent
    assert str(Applicant.objects.get(case=case).name) == "张某"
    assert case.due_on is not None

    receipt = web.get(response["Location"])
    assert receipt.status_code == 200
    assert case.display_code in receipt.text and re.fullmatch(r"\w{4}-\w{4}-\w{4}", case.display_code)
    assert f"{case.due_on.year}年{case.due_on.month}月{case.due_on.day}日" in receipt.text
    assert "no-store" in receipt["Cache-Control"]
    assert ("暂定" in receipt.text) == case.due_provisional


def test_provisional_due_date_is_marked_on_the_receipt(web, mailbox, monkeypatch):
    from zhengtong.casework import services

    real_submit = services.submit

    def late(*args, **kwargs):
        case = real_submit(*args, **kwargs)
        Case.objects.filter(pk=case.pk).update(due_provisional=True)
        return case

    monkeypatch.setattr(services, "submit", late)
    response = web.post(url(mailbox, "write"), letter_data())
    assert "暂定" in web.get(response["Location"]).text


def test_consent_is_off_unless_ticked(web, mailbox):
    web.post(url(mailbox, "write"), letter_data())
    assert Case.objects.get().publish_consent is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"subject": ""}, "请填写“标题”"),
        ({"phone": "12345"}, "电话号码格式不对"),
        ({"phone": "", "lookup_password": ""}, "请留下联系电话，或设置一个查询密码"),
        ({"id_number": "110105194912310021"}, "身份证"),
        ({"category": "gossip"}, "选择一个有效的选项"),
    ],
)
def test_errors_are_shown_in_chinese_and_input_is_kept(web, mailbox, change, message):
    data = letter_data(**change)
    response = web.post(url(mailbox, "write"), data)
    assert response.status_code == 400
    assert message in response.text
    assert Case.objects.count() == 0
    assert "县一中门口的路灯坏了一个多月" in response.text  # the letter is not lost
    if data["subject"]:
        assert data["subject"] in response.text
    assert 'aria-invalid="true"' in response.text  # the field in error says so to screen readers


def test_password_is_never_written_back(web, mailbox):
    response = web.post(url(mailbox, "write"), letter_data(subject="", lookup_password="geheim-123"))
    assert response.status_code == 400 and "geheim-123" not in response.text


def test_lookup_password_instead_of_phone(web, mailbox):
    response = web.post(url(mailbox, "write"), letter_data(phone="", lookup_password="my-secret-9"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.lookup_password and "my-secret-9" not in case.lookup_password


def test_past_the_limit_the_writer_answers_a_question_and_the_letter_goes_through(web, mailbox, settings):
    from zhengtong.hardening.tests.test_ratelimit import solve

    settings.ZT_RATE_LIMITS = {**settings.ZT_RATE_LIMITS, "submission": (1, 600)}
    assert web.post(url(mailbox, "write"), letter_data()).status_code == 302
    challenged = web.post(url(mailbox, "write"), letter_data(subject="第二封信"))
    assert challenged.status_code == 429 and "请回答一个问题" in challenged.text
    assert Case.objects.count() == 1
    # The challenge page carries the letter on (no JavaScript): answering sends it.
    assert "第二封信" in challenged.text
    token = re.search(r'name="zt_challenge_token" value="([^"]+)"', challenged.text)
    assert token, challenged.text
    answered = web.post(
        url(mailbox, "write"),
        letter_data(subject="第二封信", zt_challenge_token=token.group(1), zt_challenge_answer=solve(challenged.text)),
    )
    assert answered.status_code == 302 and Case.objects.filter(subject="第二封信").exists()


def test_form_pages_never_enter_the_anonymous_page_cache(web, mailbox):
    response = web.get(url(mailbox, "write"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    from zhengtong.core.pagecache import storable

    assert not storable(response.wsgi_request, response)
    assert cache_key(response.wsgi_request) is not None  # it is a cacheable URL; the response refuses


def test_receipt_without_a_letter_sends_to_lookup(web, mailbox):
    response = web.get(url(mailbox, "receipt"))
    assert response.status_code == 302 and response["Location"].endswith("/lookup/")


def test_consultation_to_a_department_has_no_letter_types_to_choose(web, portal):
    from zhengtong.interaction.models import InteractionPage

    page = portal.section.add_child(
        instance=InteractionPage(title="政务咨询", slug="zx", channel="consultation", organisation=portal.department)
    )
    form = web.get(url(page, "write"))
    assert 'type="hidden" name="category" value="consult"' in form.text and "我要咨询" in form.text
    data = letter_data()
    del data["category"]
    response = web.post(url(page, "write"), {**data, "category": "consult"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == "consultation" and case.organisation == portal.department and case.category == "consult"


def solve_form_question(html: str) -> str:
    """The form's question ("三加五等于几？", its field's label) answered as a person would, in digits."""
    from zhengtong.hardening.challenge import parse_answer

    a, b = re.search(r"([零一二三四五六七八九十]+)加([零一二三四五六七八九十]+)等于几", html).groups()
    return str(parse_answer(a) + parse_answer(b))


def test_every_letter_answers_the_anti_spam_question(web, mailbox, settings):
    solve = solve_form_question
    settings.ZT_FORM_QUESTION = True
    form = web.get(url(mailbox, "write")).text
    token = re.search(r'name="human_token" value="([^"]+)"', form).group(1)
    assert "等于几" in form and 'name="human_answer"' in form

    unanswered = web.post(url(mailbox, "write"), letter_data(human_token=token))
    assert unanswered.status_code == 400 and "请回答这个问题" in unanswered.text
    assert "一中门口路灯不亮" in unanswered.text  # the letter is kept
    wrong = web.post(url(mailbox, "write"), letter_data(human_token=token, human_answer="九十九"))
    assert wrong.status_code == 400 and "答案不对" in wrong.text and Case.objects.count() == 0

    # The page shown again asks a new question; answering it (in digits or words) sends the letter.
    token = re.search(r'name="human_token" value="([^"]+)"', wrong.text).group(1)
    answered = web.post(url(mailbox, "write"), letter_data(human_token=token, human_answer=solve(wrong.text)))
    assert answered.status_code == 302 and Case.objects.count() == 1
    # A solved question is not accepted twice.
    again = web.post(url(mailbox, "write"), letter_data(human_token=token, human_answer=solve(wrong.text)))
    assert again.status_code == 400 and Case.objects.count() == 1
