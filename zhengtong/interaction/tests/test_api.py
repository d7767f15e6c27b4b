"""POST /api/v1/cases/{code}/rating: check, rating, optional reopen; 4xx JSON; rate-limited."""

import pytest

from zhengtong.casework import services as casework
from zhengtong.interaction.tests.conftest import reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(portal):
    case = casework.submit(
        "mailbox",
        category="help",
        subject="路灯不亮",
        content="一中门口路灯坏了。",
        organisation=portal.government,
        applicant={"name": "张晓燕", "phone": "13800001234"},
    )
    reply(case)
    return case


def rate(client, case, **body):
    data = {"check": "1234", "rating": "satisfied", **body}
    return client.post(f"/api/v1/cases/{case.display_code}/rating", data, content_type="application/json")


def test_rate_and_reopen_once(client, case):
    response = rate(client, case, rating="not_satisfied", reopen=True, reason="还没修好")
    assert response.status_code == 200, response.content
    assert response.json()["reopened"] == 1 and response.json()["status"] == "assigned"
    reply(case, "这次修好了。")
    again = rate(client, case, rating="not_satisfied", reopen=True, reason="还是不行")
    assert again.status_code == 422 and "已经重新办理过" in again.json()["detail"]
    assert rate(client, case, rating="basically_satisfied").json()["rating_label"] == "基本满意"
    assert rate(client, case).status_code == 422  # rated already


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"check": "9999"}, 404, "查询码或校验信息不对"),
        ({"rating": "great"}, 422, "请选择"),
        ({"rating": "satisfied", "reopen": True, "reason": "x"}, 422, "只有对答复不满意时"),
    ],
)
def test_errors_are_json_in_chinese(client, case, body, status, message):
    response = rate(client, case, **body)
    assert response.status_code == status and message in response.json()["detail"]
    case.refresh_from_db()
    assert case.rating == "" and case.reopened == 0


def test_rating_before_the_reply_is_refused(client, portal):
    fresh = casework.submit(
        "mailbox",
        subject="新来信",
        content="内容内容内容",
        organisation=portal.government,
        applicant={"name": "李四", "phone": "13900005678"},
    )
    response = client.post(
        f"/api/v1/cases/{fresh.display_code}/rating",
        {"check": "5678", "rating": "satisfied"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "答复之后" in response.json()["detail"]


def test_rate_limited_like_the_lookup(client, case, settings):
    settings.ZT_RATE_LIMITS = {**settings.ZT_RATE_LIMITS, "lookup": (2, 600)}
    assert rate(client, case, check="0000").status_code == 404
    assert rate(client, case, check="0001").status_code == 404
    assert rate(client, case).status_code == 429
    case.refresh_from_db()
    assert case.rating == ""
