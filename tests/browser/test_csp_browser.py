"""The Content-Security-Policy in a real browser: the public portal breaks none of it, and the Wagtail admin
works under its own policy (editor, inline panels, date pickers, choosers, preview) with no violation.

A violation shows in chromium's console ("Refused to … because it violates the following Content Security
Policy directive"); every such message fails the test.
"""

import pytest

MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"

pytestmark = pytest.mark.browser


def png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, "PNG")
    return out.getvalue()


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


@pytest.fixture(scope="module")
def staff_session(demo_site, django_db_blocker) -> str:
    """A logged-in superuser's session cookie for the browser (the login form is tested elsewhere).

    Module-scoped, outside any test transaction, so the live server's own connection sees the session (on
    PostgreSQL it would not see a test's uncommitted rows); the demo_site fixture restores the database after.
    """
    from django.test import Client
    from django.test.utils import override_settings

    from zhengtong.core.models import User
    from zhengtong.twofactor.testing import login_verified

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5_HASHER]):
        user = User.objects.filter(username="zt-csp-admin").first() or User.objects.create_superuser(
            username="zt-csp-admin", password="Csp-admin-2026!", email=""
        )
        client = Client()
        login_verified(client, user)  # a superuser must pass the second factor (zhengtong.twofactor)
        return client.cookies["sessionid"].value


def test_public_pages_keep_to_the_strict_policy(visitor, demo_site):
    page = visitor.page("desktop")
    violations = watch_csp(page)
    for path in (demo_site.home, demo_site.column, demo_site.article, demo_site.policy, "/search/?q=通知"):
        response = page.goto(path)
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert violations == []


def test_admin_works_under_its_policy(visitor, demo_site, staff_session):
    from zhengtong.portal.models import ArticlePage

    page = visitor.page("desktop")
    violations = watch_csp(page)
    page.goto("/admin/login/")
    assert page.get_by_role("button").count() >= 1
    page.context.add_cookies([{"name": "sessionid", "value": staff_session, "url": demo_site.url}])

    assert page.goto("/admin/").status == 200
    article = ArticlePage.objects.live().filter(images__isnull=False).first() or ArticlePage.objects.live().first()
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.locator(".Draftail-Editor").first.wait_for()  # the rich text editor started (script ran)
    # The side panel preview frames the admin itself (frame-src / frame-ancestors 'self'); Wagtail renders it
    # through a simulated public request, which must not bring the public policy along.
    page.locator("[data-side-panel-toggle='preview']").first.click()
    page.frame_locator("iframe[title]").first.locator("main h1").wait_for()
    for path in ("/admin/pages/", "/admin/images/", "/admin/documents/multiple/add/", "/admin/images/multiple/add/"):
        response = page.goto(path)
        assert response.status == 200, path
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]

    # The multiple uploaders (script, thumbnails from blob:/data: URLs): a good image is stored; a program named
    # .pdf is refused with the Chinese reason from zhengtong.hardening.uploads.
    page.set_input_files("#fileupload", files=[{"name": "合影.png", "mimeType": "image/png", "buffer": png_bytes()}])
    page.locator("#upload-list li.upload-success").first.wait_for()
    page.goto("/admin/documents/multiple/add/")
    program = b"MZ\x90\x00" + b"\x00" * 200
    page.set_input_files("#fileupload", files=[{"name": "通知.pdf", "mimeType": "application/pdf", "buffer": program}])
    failure = page.locator("#upload-list li.upload-failure").first
    failure.wait_for()
    assert "只接受" in failure.inner_text()
    page.wait_for_timeout(500)  # let late scripts report
    assert violations == [], "\n".join(violations)
    # blob: URLs of our own origin are the uploader's thumbnails, made in the page.
    foreign = [url for url in visitor.foreign_requests if not url.startswith(f"blob:{demo_site.url}/")]
    assert foreign == [], foreign
