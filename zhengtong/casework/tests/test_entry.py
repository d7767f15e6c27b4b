"""Staff entry of cases received by phone, in person, post, fax or email (/admin/cases/new/)."""

from datetime import date

import pytest
from django.urls import reverse

from zhengtong.casework.models import Case
from zhengtong.privacy.validators import id_check_char, uscc_check_char
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db

ID_BODY = "65232819800101002"  # 新疆 (65), born 1980-01-01
VALID_ID = ID_BODY + id_check_char(ID_BODY)
WRONG_ID = ID_BODY + ("1" if id_check_char(ID_BODY) != "1" else "2")
USCC_BODY = "91652328MA7ABCDE0"
VALID_USCC = USCC_BODY + uscc_check_char(USCC_BODY)


@pytest.fixture
def operator(client, people):
    login_verified(client, people["operator"])
    return people["operator"]


def letter(county, **changes):
    data = {
        "kind": "mailbox",
        "category": "help",
        "channel": "post",
        "received_at": "2026-10-12T10:00",
        "signed_on": "2026-09-30",
        "organisation": county[0].pk,
        "subject": "申请修缮村道",
        "content": "我村通往乡里的道路坑洼不平，请求修缮。",
        "applicant_kind": "natural",
        "name": "阿依古丽",
        "id_number": VALID_ID,
        "phone": "0994-5221234",
        "address": "木垒县英格堡乡",
    }
    data.update(changes)
    return data


def test_a_letter_by_post_counts_from_the_day_it_was_signed_for(client, county, operator):
    response = client.post(reverse("casework_new"), letter(county))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("casework_detail", args=[case.pk])
    assert case.channel == "post" and case.created_by == operator
    # Day 0 is the signing day, Wed 30 Sep 2026, not the day it was entered: 5 wd are 8, 9, 10 (Sat, make-up),
    # 12, 13 Oct.
    assert case.received_on == date(2026, 9, 30) and case.due_on == date(2026, 10, 13)
    assert case.events.get().counts_from_another_day
    assert case.applicant.id_number.reveal() == VALID_ID
    # The code to tell the writer, with what the lookup asks for.
    body = client.get(response.url).content.decode()
    assert case.display_code in body and "联系电话后 4 位" in body


def test_a_post_letter_needs_its_signing_day_and_other_channels_none(client, county, operator):
    response = client.post(reverse("casework_new"), letter(county, signed_on=""))
    body = response.content.decode()
    assert response.status_code == 200 and "信函请填写签收日期" in body
    assert "申请修缮村道" in body and "木垒县英格堡乡" in body  # what was typed is kept
    response = client.post(reverse("casework_new"), letter(county, signed_on="2026-10-13"))
    assert "签收日期不能晚于收到" in response.content.decode()
    response = client.post(reverse("casework_new"), letter(county, channel="phone"))
    assert "只有信函填写签收日期" in response.content.decode()
    assert not Case.objects.exists()


def test_a_wrong_id_check_digit_is_refused_in_chinese(client, county, operator):
    response = client.post(reverse("casework_new"), letter(county, id_number=WRONG_ID))
    body = response.content.decode()
    assert response.status_code == 200 and "身份证号码" in body and "校验" in body
    assert WRONG_ID in body and not Case.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "urgent"}, "“县长信箱”没有这个类别"),
        ({"phone": "", "lookup_password": ""}, "请留下联系电话，或设置一个查询密码"),
        ({"phone": "123"}, "电话号码至少要有 7 位数字"),
        ({"applicant_kind": "commercial"}, "组织不填身份证号码"),
        ({"credit_code": VALID_USCC}, "自然人不填统一社会信用代码"),
        ({"received_at": "2099-01-01T10:00", "signed_on": ""}, "收到时间不能晚于现在"),
        ({"subject": ""}, "请填写“标题”。"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, county, operator, changes, message):
    response = client.post(reverse("casework_new"), letter(county, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Case.objects.exists()


def test_an_organisation_by_phone_with_its_credit_code(client, county, operator):
    data = letter(
        county,
        channel="phone",
        signed_on="",
        kind="consultation",
        category="consult",
        applicant_kind="commercial",
        name="木垒县某农业科技有限公司",
        id_number="",
        credit_code=VALID_USCC.lower(),
        contact="张伟",
        phone="13800002222",
        received_at="2026-11-02T16:40",
    )
    assert client.post(reverse("casework_new"), data).status_code == 302
    case = Case.objects.get()
    assert case.kind == "consultation" and case.received_on == date(2026, 11, 2)
    assert case.applicant.kind == "commercial" and case.applicant.credit_code == VALID_USCC


def test_only_staff_who_may_register_cases_see_the_page(client, county, people):
    login_verified(client, people["clerk"])
    assert client.get(reverse("casework_new")).status_code == 302  # refused: back to the admin home
    assert "登记办件" not in client.get(reverse("casework_index")).content.decode()
    login_verified(client, people["operator"])
    page = client.get(reverse("casework_new") + "?kind=hotline").content.decode()
    assert 'value="hotline" selected' in page and "签收日期" in page
    assert "登记办件" in client.get(reverse("casework_index")).content.decode()


def test_kinds_with_their_own_entry_page_are_not_offered_here():
    from zhengtong.casework.forms import CaseEntryForm
    from zhengtong.core.models import User

    form = CaseEntryForm(user=User(is_superuser=True))
    codes = [code for code, _label in form.fields["kind"].choices]
    assert "mailbox" in codes and "disclosure" not in codes  # 依申请公开 has its own page (第29条 fields)
