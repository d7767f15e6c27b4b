"""The case API: submit, look up with code and check, JSON errors in Chinese, rate limits."""

import pytest

from zhengtong.casework.models import Applicant, Case
from zhengtong.core.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")


def letter(**values):
    body = {
        "kind": "mailbox",
        "category": "help",
        "organisation": "木政办",
        "subject": "路灯不亮",
        "content": "一中门口的路灯坏了一个月。",
        "applicant": {"name": "张晓燕", "phone": "13800001234"},
    }
    body.update(values)
    return body


def test_submit_then_look_up_with_the_phone_digits(client, office):
    response = client.post("/api/v1/cases", letter(), content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    case = Case.objects.get()
    assert created["code"] == case.display_code and case.channel == "api"
    assert str(Applicant.objects.get(case=case).name) == "张某"

    found = client.get(f"/api/v1/cases/{created['code']}", {"check": "1234"})
    assert found.status_code == 200
    body = found.json()
    assert body["status"] == "received" and body["timeline"][0]["event"] == "received"
    assert "张晓燕" not in found.content.decode()

    wrong = client.get(f"/api/v1/cases/{created['code']}", {"check": "9999"})
    assert wrong.status_code == 404 and "查询码或校验信息不对" in wrong.json()["detail"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "nonsense"}, "没有这种办件类型"),
        ({"kind": "hotline"}, "不接受网上提交"),
        ({"organisation": "无此单位"}, "没有这个受理单位"),
        ({"category": "gossip"}, "没有这个类别"),
        ({"applicant": {"name": "李四"}}, "联系电话"),
        ({"applicant": {"name": "李四", "phone": "13800001234", "id_number": "110105194912310021"}}, "身份证"),
    ],
)
def test_bad_input_gets_422_with_a_chinese_reason_and_stores_nothing(client, office, change, message):
    response = client.post("/api/v1/cases", letter(**change), content_type="application/json")
    assert response.status_code == 422
    assert message in str(response.json()["detail"])
    assert Case.objects.count() == 0


def test_missing_fields_are_422_not_500(client, office):
    response = client.post("/api/v1/cases", {"kind": "mailbox"}, content_type="application/json")
    assert response.status_code == 422
    response = client.post("/api/v1/cases", "not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_lookup_is_rate_limited(client, office, settings):
    from django.core.cache import cache

    cache.clear()  # counts of earlier tests from the same address
    settings.ZT_RATE_LIMITS = {**settings.ZT_RATE_LIMITS, "lookup": (3, 600)}
    code = client.post("/api/v1/cases", letter(), content_type="application/json").json()["code"]
    statuses = [client.get(f"/api/v1/cases/{code}", {"check": "0000"}).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    # Past the limit even the right check is refused: guessing stops paying.
    assert client.get(f"/api/v1/cases/{code}", {"check": "1234"}).status_code == 429


def test_openapi_document_lists_the_case_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/cases" in paths and "/api/v1/cases/{code}" in paths
