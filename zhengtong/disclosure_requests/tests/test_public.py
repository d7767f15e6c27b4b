"""The portal pages without JavaScript: apply, receipt, lookup with code + check, reply and letter, withdrawal."""

import re

import pytest
from django.utils import timezone

from zhengtong.casework.models import Case, Channel
from zhengtong.casework.workflow import Status
from zhengtong.core.pdf import pdf_text
from zhengtong.core.workdays import add_workdays
from zhengtong.disclosure_requests import outcomes, services
from zhengtong.disclosure_requests.tests.conftest import HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client):
    client.defaults["HTTP_HOST"] = HOST
    return client


def form_data(**values) -> dict:
    data = {
        "category": "apply",
        "kind": "natural",
        "name": "张晓燕",
        "id_number": "11010519491231002X",
        "credit_code": "",
        "contact": "",
        "phone": "138 0000 1234",
        "email": "",
        "address": "",
        "lookup_password": "",
        "description": "2025年县城老旧小区改造项目的资金安排文件",
        "provision_form": "email",
        "obtain_method": "download",
    }
    data.update(values)
    return data


def url(page, name: str = "", *args) -> str:
    return page.url + (page.reverse_subpage(name, args=args or None) if name else "")


def test_the_form_is_plain_html_with_labels(web, disclosure):
    response = web.get(url(disclosure, "apply"))
    html = response.content.decode()
    assert response.status_code == 200 and "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    for field in ("id_description", "id_name", "id_id_number", "id_credit_code", "id_provision_form"):
        assert f'for="{field}"' in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_apply_gives_a_receipt_with_code_and_due_date(web, disclosure):
    response = web.post(url(disclosure, "apply"), form_data())
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.kind, case.channel, case.organisation) == ("disclosure", Channel.WEB, disclosure.organisation)
    # 条例 第31条: online, received the day the system confirms it
    assert case.received_on == timezone.localdate()
    assert case.due_on == add_workdays(case.received_on, 20).date
    receipt = web.get(response["Location"]).content.decode()
    assert case.display_code in receipt and f"{case.due_on.year}年{case.due_on.month}月{case.due_on.day}日" in receipt
    assert "第三十一条" in receipt
    assert case.applicant.id_number.reveal() == "11010519491231002X"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"id_number": ""}, "自然人申请请填写身份证号码"),
        ({"id_number": "110105194912310021"}, "身份证"),
        ({"kind": "commercial", "id_number": "", "credit_code": ""}, "统一社会信用代码"),
        ({"description": ""}, "请填写"),
        ({"phone": "", "lookup_password": ""}, "查询密码"),
    ],
)
def test_bad_input_shows_a_chinese_error_and_keeps_what_was_typed(web, disclosure, values, message):
    response = web.post(url(disclosure, "apply"), form_data(**values))
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert "张晓燕" in html and not Case.objects.exists()


def test_an_organisation_applies_with_its_credit_code(web, disclosure):
    data = form_data(kind="research", id_number="", credit_code="91350100M000100Y43", contact="李四")
    assert web.post(url(disclosure, "apply"), data).status_code == 302
    applicant = Case.objects.get().applicant
    assert (applicant.kind, applicant.credit_code) == ("research", "91350100M000100Y43")


def test_lookup_shows_the_reply_and_downloads_the_letter(web, disclosure, staff):
    web.post(url(disclosure, "apply"), form_data())
    case = Case.objects.get()
    services.reply(
        case, actor=staff["reviewer"], outcome="partial", text="部分公开：资金安排表见附件，涉及个人信息部分已删除。"
    )
    web.cookies.clear()
    refused = web.post(url(disclosure, "lookup"), {"tracking_code": case.display_code, "check_secret": "9999"})
    assert refused.status_code == 400 and "查询码或校验信息不对" in refused.content.decode()
    found = web.post(url(disclosure, "lookup"), {"tracking_code": case.display_code, "check_secret": "1234"})
    assert found.status_code == 302
    page = web.get(found["Location"]).content.decode()
    assert "部分公开" in page and "资金安排表见附件" in page
    link = re.search(r'href="(/cases/files/[^"]+)"', page).group(1)
    download = web.get(link)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content))
    assert "部分公开" in text and "第三十七条" in text and "昌吉回族自治州人民政府" in text


def test_the_applicant_withdraws_after_lookup(web, disclosure):
    web.post(url(disclosure, "apply"), form_data())
    case = Case.objects.get()
    track = url(disclosure, "track", case.pk)
    unconfirmed = web.post(track, {"action": "withdraw", "reason": "不需要了"})
    assert unconfirmed.status_code == 400
    done = web.post(track, {"action": "withdraw", "reason": "不需要了", "confirm": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.CLOSED, outcomes.WITHDRAWN)
    assert "已撤回" in web.get(done["Location"]).content.decode()


def test_track_needs_a_lookup_first(web, disclosure, portal):
    case = services.apply(
        organisation=portal.government,
        description="某文件",
        applicant={"kind": "natural", "name": "王五", "id_number": "11010519491231002X", "phone": "13800001234"},
    )
    response = web.get(url(disclosure, "track", case.pk))
    assert response.status_code == 302 and response["Location"].endswith("/lookup/")


def test_the_form_asks_the_anti_spam_question(web, disclosure, settings):
    from zhengtong.interaction.tests.test_write import solve_form_question

    settings.ZT_FORM_QUESTION = True
    form = web.get(url(disclosure, "apply")).content.decode()
    token = re.search(r'name="human_token" value="([^"]+)"', form).group(1)
    unanswered = web.post(url(disclosure, "apply"), form_data(human_token=token))
    html = unanswered.content.decode()
    assert unanswered.status_code == 400 and "请回答这个问题" in html and not Case.objects.exists()
    token = re.search(r'name="human_token" value="([^"]+)"', html).group(1)
    answered = web.post(url(disclosure, "apply"), form_data(human_token=token, human_answer=solve_form_question(html)))
    assert answered.status_code == 302 and Case.objects.count() == 1
