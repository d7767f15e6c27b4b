import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from zhengtong.accounts.tests.helpers import admin_login, login, staff
from zhengtong.audit.models import AuditRecord
from zhengtong.core import roles
from zhengtong.portal.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    user = staff("clerk")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def fail(client, username: str, times: int, address: str = "203.0.113.5"):
    response = None
    for _ in range(times):
        response = admin_login(client, username, "wrong-Password-1", REMOTE_ADDR=address)
    return response


def test_five_failures_lock_the_account_with_a_clear_message(client, clerk):
    assert fail(client, "clerk", 4).status_code == 200  # the login form again, with its error
    response = fail(client, "clerk", 1)
    assert response.status_code == 403
    body = response.content.decode()
    assert "15 分钟" in body and "安全管理员" in body
    # Even the right password is refused while locked, from another address too (per account).
    response = admin_login(client, "clerk", TEST_PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 403
    lockouts = AuditRecord.objects.filter(action="auth.lockout")
    assert lockouts.count() == 1  # the lockout once; the refused attempts are login failures
    assert lockouts.get().detail["username"] == "clerk" and lockouts.get().result == "denied"
    assert AuditRecord.objects.filter(action="auth.login_failed").count() >= 5


def test_five_failures_from_one_address_lock_the_address(client, clerk):
    for n in range(5):
        admin_login(client, f"nobody{n}", "wrong-Password-1", REMOTE_ADDR="203.0.113.77")
    assert admin_login(client, "clerk", TEST_PASSWORD, REMOTE_ADDR="203.0.113.77").status_code == 403
    # The account itself is not locked: from elsewhere it logs in.
    assert admin_login(client, "clerk", TEST_PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_test_client_login_still_works(client, clerk):
    assert client.login(username="clerk", password=TEST_PASSWORD)


def test_security_admin_sees_and_unlocks(client, clerk):
    fail(client, "clerk", 5)
    security = staff("sec", roles.SECURITY_ADMIN)
    login(client, security)
    page = client.get(reverse("zt_accounts:lockouts")).content.decode()
    assert "clerk" in page and "203.0.113.5" in page
    client.post(reverse("zt_accounts:lockouts"), {"username": "clerk"})
    client.post(reverse("zt_accounts:lockouts"), {"address": "203.0.113.5"})
    entries = AuditRecord.objects.filter(action="auth.unlock").order_by("sequence")
    assert [e.detail.get("username") or e.detail.get("address") for e in entries] == ["clerk", "203.0.113.5"]
    assert entries[0].actor_id == security.pk
    client.logout()
    assert admin_login(client, "clerk", TEST_PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_others_cannot_unlock(client, clerk):
    system = staff("sys", roles.SYSTEM_ADMIN)
    login(client, system)
    fail(client, "clerk", 5)
    login(client, system)
    assert client.get(reverse("zt_accounts:lockouts")).status_code in (302, 403)  # Wagtail: back to the dashboard
    client.post(reverse("zt_accounts:lockouts"), {"username": "clerk"})
    assert not AuditRecord.objects.filter(action="auth.unlock").exists()
    assert admin_login(client, "clerk", TEST_PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 403
