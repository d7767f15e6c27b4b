"""Security headers on the public site, in the admin, and on pages served from the page cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengtong.core import pagecache
from zhengtong.portal.models import FooterSettings
from zhengtong.portal.testing import publish_article

pytestmark = pytest.mark.django_db
HOST = "portal.test"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_public_page_has_strict_policy(client, portal):
    response = client.get(portal.home.url, HTTP_HOST=HOST)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"] and csp["base-uri"] == ["'self'"]
    # No other origin anywhere in the policy.
    assert all(s.startswith("'") or s in ("data:",) for sources in csp.values() for s in sources)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_public_templates_carry_no_inline_script_style_or_handlers(client, portal):
    """The strict policy would block them; the portal's pages must not need them."""
    publish_article(portal.news, "县政府召开常务会议")
    for url in (portal.home.url, portal.news.url, "/search/?q=会议", "/no-such-page/"):
        html = client.get(url, HTTP_HOST=HOST).content.decode()
        assert "<script" not in html and "<style" not in html and " style=" not in html, url
        assert not __import__("re").search(r"\son[a-z]+\s*=", html), url
        assert "javascript:" not in html, url


def test_admin_policy_allows_what_wagtail_needs_and_no_other_origin(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in csp["script-src"] and "'unsafe-inline'" in csp["style-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert all(s.startswith("'") or s in ("data:", "blob:") for sources in csp.values() for s in sources)
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # page previews are frames of the admin
    assert "gravatar" not in response.content.decode()


def test_cached_page_carries_the_same_headers(client, portal):
    FooterSettings.for_site(portal.site)
    pagecache.bump()
    first = client.get(portal.news.url, HTTP_HOST=HOST)
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(portal.news.url, HTTP_HOST=HOST)
    assert len(queries) == 0, "the second request should be a page cache hit"
    for header in SECURITY_HEADERS:
        assert hit[header] == first[header], header


def test_cached_page_through_wsgi_carries_the_headers(portal):
    """Hits answered before Django (zhengtong.wsgi's PageCacheApplication) send the stored headers."""
    from django.test import RequestFactory

    FooterSettings.for_site(portal.site)
    pagecache.bump()
    environ = RequestFactory().get(portal.news.url, HTTP_HOST=HOST).environ
    captured = {}

    def start_response(status, headers):
        captured["headers"] = dict(headers)

    def django_app(environ, start_response):  # the first request: rendered by Django and stored
        from django.core.handlers.wsgi import WSGIHandler

        return WSGIHandler()(environ, start_response)

    app = pagecache.PageCacheApplication(django_app)
    b"".join(app(dict(environ), start_response))
    first = captured.pop("headers")
    with CaptureQueriesContext(connection) as queries:
        b"".join(app(dict(environ), start_response))
    assert len(queries) == 0
    for header in SECURITY_HEADERS:
        assert captured["headers"][header] == first[header], header


def test_production_settings_turn_on_hsts_and_secure_cookies(monkeypatch, tmp_path):
    """settings.py read with ZT_ENV=production (in a child interpreter: settings are read once)."""
    import json
    import subprocess
    import sys

    code = (
        "import json, django; from django.conf import settings as s; django.setup(); print(json.dumps(["
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        "s.SESSION_COOKIE_SAMESITE, s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests')]))"
    )
    env = {
        **__import__("os").environ,
        "ZT_ENV": "production",
        "ZT_ALLOWED_HOSTS": "www.example.gov.cn",
        "ZT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zhengtong.settings",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    hsts, session_secure, csrf_secure, httponly, samesite, upgrade = json.loads(out.strip().splitlines()[-1])
    assert hsts >= 31536000 and session_secure and csrf_secure and httponly and samesite == "Lax" and upgrade


def test_admin_policy_replaces_one_set_by_a_simulated_public_request(rf):
    """Wagtail's preview runs the page's public request through the middleware inside an admin request."""
    from django.http import HttpResponse

    from zhengtong.hardening.headers import ContentSecurityPolicyMiddleware

    def inner(request):
        response = HttpResponse("preview")
        response["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(inner)(rf.get("/admin/pages/3/edit/preview/"))
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    public = ContentSecurityPolicyMiddleware(inner)(rf.get("/news/"))
    assert public["Content-Security-Policy"] == "frame-ancestors 'none'"
