import json

import pytest

from zhengtong.casework.models import Case, Channel
from zhengtong.core.models import Organisation

pytestmark = pytest.mark.django_db
URL = "/api/v1/disclosure/applications"


@pytest.fixture(autouse=True)
def office(db):
    return Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")


def body(**values) -> dict:
    data = {
        "organisation": "木政办",
        "description": "2025年县城老旧小区改造项目的资金安排文件",
        "provision_form": "email",
        "obtain_method": "download",
        "applicant": {"kind": "natural", "name": "张晓燕", "id_number": "11010519491231002X", "phone": "13800001234"},
    }
    data.update(values)
    return data


def post(client, data):
    return client.post(URL, json.dumps(data), content_type="application/json")


def test_201_with_code_and_due_date(client):
    response = post(client, body())
    assert response.status_code == 201
    data = response.json()
    case = Case.objects.get()
    assert data["code"] == case.display_code and data["due_on"] == case.due_on.isoformat()
    assert case.channel == Channel.API and case.disclosure_request.provision_form == "email"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"organisation": "没有"}, "受理机关"),
        ({"provision_form": "fax"}, "提供形式"),
        ({"applicant": {"kind": "natural", "name": "张", "phone": "13800001234"}}, "身份证"),
        ({"applicant": {"kind": "commercial", "name": "某公司", "phone": "13800001234"}}, "统一社会信用代码"),
        ({"applicant": {"kind": "natural", "name": "张", "id_number": "11010519491231002X"}}, "查询密码"),
        ({"description": "短"}, ""),
    ],
)
def test_422_with_a_chinese_reason_and_nothing_stored(client, values, message):
    response = post(client, body(**values))
    assert response.status_code == 422
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert not Case.objects.exists()


def test_the_generic_case_api_does_not_take_disclosure_applications(client):
    data = {
        "kind": "disclosure",
        "organisation": "木政办",
        "subject": "申请公开",
        "content": "某文件的内容",
        "applicant": {"kind": "natural", "name": "张", "phone": "13800001234"},
    }
    response = client.post("/api/v1/cases", json.dumps(data), content_type="application/json")
    assert response.status_code == 422 and not Case.objects.exists()
