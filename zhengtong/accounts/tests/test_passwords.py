from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhengtong.accounts import passwords
from zhengtong.accounts.models import PasswordHistory, PasswordState, UserSession
from zhengtong.accounts.tests.helpers import admin_login, login, staff
from zhengtong.audit.models import AuditRecord
from zhengtong.core import roles
from zhengtong.core.models import User
from zhengtong.portal.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def messages_for(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_argon2_first_and_pbkdf2_hashes_upgrade_at_login(settings, client):
    from zhengtong import settings as project_settings  # the tests' conftest swaps in a fast hasher

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    from django.contrib.auth.hashers import make_password

    user = staff("old_hash")
    User.objects.filter(pk=user.pk).update(password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256"))
    history_before = PasswordHistory.objects.filter(user=user).count()
    assert admin_login(client, "old_hash").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    # An upgraded hash is not a password change.
    assert PasswordHistory.objects.filter(user=user).count() == history_before
    assert not AuditRecord.objects.filter(action="auth.password_change").exists()


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1-xyz", "至少需要 10 个字符"),
        ("abcdefghijkl", "至少 3 类"),
        ("abcdefgh1234", "至少 3 类"),
        ("Zhangsan-2026", "不能与用户名相同"),
    ],
)
def test_policy_refuses_weak_passwords_in_chinese(password, fragment):
    user = User(username="zhangsan")
    assert any(fragment in message for message in messages_for(password, user)), messages_for(password, user)


def test_good_password_passes():
    assert messages_for("Qingshui-river-9", User(username="zhangsan")) == []


def test_none_of_the_last_five_passwords(settings):
    user = staff("history", password="First-pass-001")
    for n in range(2, 7):
        user.set_password(f"Another-pass-{n:03d}")
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5  # only the configured number is kept
    assert any("最近 5 次" in m for m in messages_for("Another-pass-002", user))
    assert messages_for("First-pass-001", user) == []  # six changes ago: allowed again


def test_setting_a_password_keeps_a_hash_not_the_password():
    user = staff("hashed", password="Secret-pass-42")
    stored = PasswordHistory.objects.get(user=user).password
    assert "Secret-pass-42" not in stored and stored == user.password


def test_expiry_and_must_change():
    user = staff("clock")
    state = passwords.state_for(user)
    assert not passwords.change_required(state)
    state.changed_at = timezone.now() - timedelta(days=91)
    assert passwords.change_required(state)
    state.changed_at = timezone.now()
    state.must_change = True
    assert passwords.change_required(state)


def test_expiry_can_be_turned_off(settings):
    settings.ZT_PASSWORD_MAX_AGE_DAYS = 0
    state = PasswordState(changed_at=timezone.now() - timedelta(days=1000))
    assert not passwords.change_required(state)


@pytest.fixture
def editor(portal):
    from zhengtong.portal.testing import role

    return staff("editor1", role(portal, roles.PORTAL_EDITOR), organisation=portal.government)


def test_forced_change_redirects_admin_pages_until_changed(client, editor):
    passwords.require_change(editor)
    login(client, editor)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("zt_accounts:password"))
    # The security pages themselves and logging out stay reachable (two-factor enrolment lives there too).
    assert client.get(reverse("zt_accounts:password")).status_code == 200
    assert client.get(reverse("zt_accounts:sessions")).status_code == 200
    second_factor = client.get("/admin/security/2fa/")  # exempt: not sent to the password page
    assert not second_factor.get("Location", "").startswith("/admin/security/password/")
    # What the change page itself loads is not redirected either.
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    # The public site is not affected.
    assert client.get("/", HTTP_HOST="portal.test").status_code == 200

    response = client.post(
        reverse("zt_accounts:password") + "?next=/admin/pages/",
        {"old_password": TEST_PASSWORD, "new_password1": "Changed-pass-77", "new_password2": "Changed-pass-77"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200  # still logged in, no longer redirected
    assert not PasswordState.objects.get(user=editor).must_change
    entry = AuditRecord.objects.filter(action="auth.password_change").latest("sequence")
    assert entry.object_id == str(editor.pk) and entry.actor_id == editor.pk
    assert "Changed-pass-77" not in str(entry.detail)


def test_expired_password_redirects(client, editor):
    PasswordState.objects.filter(user=editor).update(changed_at=timezone.now() - timedelta(days=100))
    login(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 302 and reverse("zt_accounts:password") in response["Location"]
    assert "已过期" in client.get(reverse("zt_accounts:password")).content.decode()


def test_change_page_applies_the_policy(client, editor):
    login(client, editor)
    response = client.post(
        reverse("zt_accounts:password"),
        {"old_password": TEST_PASSWORD, "new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD},
    )
    assert response.status_code == 200 and "最近 5 次" in response.content.decode()


def test_password_change_ends_the_other_sessions(client, editor):
    from django.test import Client

    other = Client()
    login(other, editor)
    login(client, editor)
    assert UserSession.objects.filter(user=editor, ended_at__isnull=True).count() == 2
    client.post(
        reverse("zt_accounts:password"),
        {"old_password": TEST_PASSWORD, "new_password1": "Changed-pass-77", "new_password2": "Changed-pass-77"},
    )
    open_sessions = UserSession.objects.filter(user=editor, ended_at__isnull=True)
    assert open_sessions.count() == 1
    assert client.get("/admin/").status_code == 200  # this browser stays logged in (its record follows the new key)
    assert other.get("/admin/").status_code == 302  # the other one is out


def test_password_set_by_an_administrator_must_be_changed(client, editor):
    system = staff("sys", roles.SYSTEM_ADMIN)
    login(client, system)
    data = {
        "username": editor.username,
        "email": "e@example.cn",
        "first_name": "一",
        "last_name": "张",
        "is_active": "on",
        "password1": "Reset-by-admin-5",
        "password2": "Reset-by-admin-5",
        "organisation": "",
        "phone": "",
    }
    assert client.post(reverse("wagtailusers_users:edit", args=[editor.pk]), data).status_code == 302
    assert PasswordState.objects.get(user=editor).must_change
    entry = AuditRecord.objects.filter(action="auth.password_change").latest("sequence")
    assert entry.actor_id == system.pk and entry.object_id == str(editor.pk)
