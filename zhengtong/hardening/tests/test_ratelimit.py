"""Rate limits: within the limit, the challenge past it, the hard block, and the admin login."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.hardening import challenge
from zhengtong.hardening.ratelimit import RateLimitMixin, rate_limit

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    from django.core.cache import cache

    cache.clear()
    settings.ZT_RATE_LIMITS = {"login": (2, 600), "submission": (2, 600), "public": (2, 600)}
    settings.ZT_RATE_LIMIT_BLOCK_FACTOR = 3
    return settings


def solve(html: str) -> str:
    """Answer the question on a challenge page the way a person would (in words or digits)."""
    question = re.search(r"题目：(\S+?)等于几", html).group(1)
    a, b = question.split("加")
    return str(challenge.parse_answer(a) + challenge.parse_answer(b))


@rate_limit("submission")
def submit_view(request):
    return HttpResponse(f"收到：{request.POST.get('text', '')}")


def post(data, address="203.0.113.7", view=submit_view):
    request = RequestFactory().post("/submit/", data, REMOTE_ADDR=address)
    return view(request)


def test_numbers_in_words_both_ways():
    for n in range(0, 100):
        assert challenge.parse_answer(challenge.in_words(n)) == n
    assert challenge.parse_answer("１５") == 15 and challenge.parse_answer(" 两 ") == 2
    assert challenge.parse_answer("abc") is None and challenge.parse_answer("十十") is None


def test_within_the_limit_nothing_happens_then_a_question_then_a_block(limits):
    assert post({"text": "一"}).status_code == 200
    assert post({"text": "二"}).status_code == 200

    page = post({"text": "三"})
    html = page.content.decode()
    assert page.status_code == 429 and "请回答一个问题" in html
    assert 'name="text" value="三"' in html  # the person's form comes back with the question
    assert '<label for="zt-challenge-answer">' in html and "<script" not in html
    token = re.search(r'name="zt_challenge_token" value="([^"]+)"', html).group(1)

    wrong = post({"text": "三", challenge.TOKEN_FIELD: token, challenge.ANSWER_FIELD: "999"})
    assert wrong.status_code == 429 and "答案不对" in wrong.content.decode()

    # Answered (the wrong answer above consumed nothing: a fresh question on the same token).
    answered = post({"text": "三", challenge.TOKEN_FIELD: token, challenge.ANSWER_FIELD: solve(html)})
    assert answered.status_code == 200 and answered.content.decode() == "收到：三"
    # A solved token is good for one request only.
    again = post({"text": "四", challenge.TOKEN_FIELD: token, challenge.ANSWER_FIELD: solve(html)})
    assert again.status_code == 429

    blocked = post({"text": "五"})  # the 7th request: past 3 × 2
    assert blocked.status_code == 429 and "请求过于频繁" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    # Another address is not affected.
    assert post({"text": "六"}, address="198.51.100.1").status_code == 200
    stages = list(
        AuditRecord.objects.filter(action="security.ratelimit")
        .order_by("sequence")
        .values_list("detail__stage", flat=True)
    )
    assert stages == ["challenge", "block"]


def test_token_is_bound_to_address_and_scope_and_expires(limits):
    question = challenge.new_question("submission", "203.0.113.7")
    answer = solve(f"题目：{question.text}")
    assert not challenge.check_answer(question.token, answer, "submission", "198.51.100.1")
    assert not challenge.check_answer(question.token, answer, "login", "203.0.113.7")
    assert not challenge.check_answer(question.token + "x", answer, "submission", "203.0.113.7")
    limits.ZT_CHALLENGE_SECONDS = -1
    assert not challenge.check_answer(question.token, answer, "submission", "203.0.113.7")


def test_client_address_respects_trust_proxy(limits):
    limits.ZT_TRUST_PROXY = True
    for i in range(3):
        request = RequestFactory().post("/", {}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        assert submit_view(request).status_code == 200  # three clients behind nginx, one request each
    limits.ZT_TRUST_PROXY = False
    statuses = [post({}, address="127.0.0.1").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_mixin_for_class_based_views(limits):
    from django.views import View

    class Form(RateLimitMixin, View):
        rate_limit_scope = "public"

        def post(self, request):
            return HttpResponse("ok")

    view = Form.as_view()
    assert [post({}, view=view).status_code for _ in range(3)] == [200, 200, 429]


def test_admin_login_is_limited_and_password_never_echoed(client, limits):
    url = reverse("wagtailadmin_login")
    for _ in range(2):
        assert client.post(url, {"username": "nobody", "password": "Secret-123"}).status_code == 200
    page = client.post(url, {"username": "nobody", "password": "Secret-123", "next": "/admin/"})
    html = page.content.decode()
    assert page.status_code == 429 and "请回答一个问题" in html
    assert "Secret-123" not in html and 'type="password" id="zt-secret-1" name="password"' in html
    assert 'name="username" value="nobody"' in html
    assert "default-src 'self'" in page["Content-Security-Policy"]


def test_public_display_switch_is_limited(client, limits):
    statuses = [client.post("/display-mode/", {"elder": "1", "next": "/"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_answering_the_login_question_logs_in(client, limits, django_user_model):
    from django.contrib.auth.models import Permission

    # An editor who may not publish: no second factor, so logging in lands in the admin directly.
    editor = django_user_model.objects.create_user(username="editor", password="Editor-pass-2026")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    url = reverse("wagtailadmin_login")
    for _ in range(2):
        client.post(url, {"username": "editor", "password": "wrong"})
    page = client.post(url, {"username": "editor", "password": "Editor-pass-2026"})
    html = page.content.decode()
    token = re.search(r'name="zt_challenge_token" value="([^"]+)"', html).group(1)
    answer = challenge.in_words(int(solve(html)))  # answered in words, as many people will
    logged_in = client.post(
        url,
        {
            "username": "editor",
            "password": "Editor-pass-2026",
            challenge.TOKEN_FIELD: token,
            challenge.ANSWER_FIELD: answer,
        },
    )
    assert logged_in.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_password_reset_and_page_password_forms_are_limited(client, limits, portal):
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=portal.news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, portal.news.pk])
    statuses = [client.post(url, {"password": "guess", "return_url": "/"}).status_code for _ in range(3)]
    assert statuses[-1] == 429 and 429 not in statuses[:2]
    # The same address has used up its login allowance: the admin's password reset asks the question too.
    assert client.post(reverse("wagtailadmin_password_reset"), {"email": "a@example.cn"}).status_code == 429
