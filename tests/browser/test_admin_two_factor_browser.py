"""The admin login with its second factor in a real browser: password then code; enrolment without JavaScript."""

from base64 import b32decode

import pytest

from zhengtong.core import roles
from zhengtong.portal import demo_content
from zhengtong.portal.testing import TEST_PASSWORD
from zhengtong.twofactor.testing import browser_login, confirmed_device

pytestmark = pytest.mark.browser

MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="module")
def publishers(demo_site, django_db_blocker):
    """Two final reviewers of the demo county (they publish, so two factors are required): one enrolled, one not.

    Committed to the demo database, which the demo_site fixture restores afterwards."""
    from django.contrib.auth.models import Group
    from django.test.utils import override_settings

    from zhengtong.core.models import User

    # The tests check passwords with the fast hasher only (conftest), so the passwords are made with it.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5_HASHER]):
        group = Group.objects.get(name=roles.portal_group_name(roles.FINAL_REVIEWER, demo_content.REGION))
        users = {}
        for username in ("zt_2fa_enrolled", "zt_2fa_new"):
            user = User.objects.create_user(username=username, password=TEST_PASSWORD)
            user.groups.add(group)
            users[username] = user
        device = confirmed_device(users["zt_2fa_enrolled"])
    return users, device


def test_password_then_code_reaches_the_dashboard(visitor, publishers):
    _users, device = publishers
    page = visitor.page()
    browser_login(page, "zt_2fa_enrolled", TEST_PASSWORD, device, next_path="/admin/")
    assert page.url.endswith("/admin/"), page.url
    page.screenshot(path=visitor.site.screenshots / "admin-after-2fa.png")
    assert page.get_by_role("heading", name="输入验证码").count() == 0
    assert visitor.foreign_requests == []


def test_wrong_code_keeps_the_user_on_the_code_page(visitor, publishers):
    page = visitor.page()
    page.goto("/admin/login/")
    page.fill("input[name=username]", "zt_2fa_enrolled")
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    assert "/admin/security/2fa/verify/" in page.url
    page.fill("input[name=code]", "000000")
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    assert "/admin/security/2fa/verify/" in page.url and "验证码不正确" in page.content()
    assert page.locator("input[name=code]").count() == 1  # nothing the page loads brings a second form
    page.goto("/admin/")
    assert "/admin/security/2fa/verify/" in page.url


def test_enrolment_works_without_javascript(visitor, publishers):
    from django_otp.oath import totp

    page = visitor.page(javascript=False)
    page.goto("/admin/login/")
    page.fill("input[name=username]", "zt_2fa_new")
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    assert "/admin/security/2fa/enrol/" in page.url
    # The QR code is drawn in the page, no image service.
    assert page.locator("svg.zt-2fa-qr").is_visible()
    page.screenshot(path=visitor.site.screenshots / "2fa-enrol.png", full_page=True)
    secret = page.locator("code.zt-2fa-secret").inner_text().replace(" ", "")
    # What an authenticator app does with the secret typed in by hand.
    page.fill("input[name=code]", f"{totp(b32decode(secret)):06d}")
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    assert page.locator("ol.zt-2fa-codes li").count() == 10
    page.screenshot(path=visitor.site.screenshots / "2fa-recovery-codes.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="我已保存，继续").click()
    assert page.url.endswith("/admin/"), page.url
    assert visitor.foreign_requests == []
