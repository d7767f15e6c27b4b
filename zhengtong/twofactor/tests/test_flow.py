"""The second factor end to end: password, code, admin; enrolment; recovery codes; reset."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from zhengtong.audit.models import AuditRecord
from zhengtong.core import roles
from zhengtong.core.models import User
from zhengtong.portal.testing import TEST_PASSWORD, department_editor, make_staff, role
from zhengtong.twofactor.models import AuthenticatorDevice, TwoFactorState
from zhengtong.twofactor.testing import code_for, confirmed_device, login_verified, token_at

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
VERIFY = "/admin/security/2fa/verify/"
ENROL = "/admin/security/2fa/enrol/"


def actions(*codes: str) -> list[str]:
    return list(AuditRecord.objects.filter(action__in=codes).order_by("sequence").values_list("action", flat=True))


def password_login(client, user: User) -> None:
    response = client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def unthrottle(device) -> None:
    """django-otp makes a device wait 1, 2, 4 … seconds after wrong codes; tests do not sleep."""
    device.refresh_from_db()
    device.throttle_reset()


@pytest.fixture
def publisher(portal):
    return make_staff("site_admin", portal.government, role(portal, roles.SITE_ADMIN))


@pytest.fixture
def security_admin(portal):
    group, _ = Group.objects.get_or_create(name=roles.SECURITY_ADMIN)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return make_staff("sec_admin", portal.government, roles.SECURITY_ADMIN)


def test_password_then_code_then_admin(client, publisher):
    device = confirmed_device(publisher)
    password_login(client, publisher)
    response = client.get(ADMIN)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.get(reverse("wagtailadmin_explore_root")).url.startswith(VERIFY)  # every admin page, not just home

    page = client.get(response.url)
    assert page.status_code == 200 and "验证码" in page.text
    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response.url == "/admin/pages/"
    assert client.get(ADMIN).status_code == 200
    assert actions("auth.login", "auth.2fa.verify") == ["auth.login", "auth.2fa.verify"]


def test_wrong_code_is_refused_and_recorded(client, publisher):
    device = confirmed_device(publisher)
    password_login(client, publisher)
    wrong = token_at(device, 0)  # a code of 1970: never valid now
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200 and "验证码不正确" in response.text
    assert client.get(ADMIN).status_code == 302
    record = AuditRecord.objects.get(action="auth.2fa.fail")
    assert record.result == "failure" and record.actor_id == publisher.pk
    assert wrong not in str(record.detail)
    assert TwoFactorState.objects.get(user=publisher).failed_attempts == 1


def test_throttled_device_refuses_even_the_right_code(client, publisher):
    device = confirmed_device(publisher)
    password_login(client, publisher)
    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert "尝试过于频繁" in response.text
    assert client.get(ADMIN).status_code == 302


def test_codes_one_step_off_work_two_steps_off_do_not(client, publisher):
    device = confirmed_device(publisher)
    password_login(client, publisher)
    assert "验证码不正确" in client.post(VERIFY, {"code": code_for(device, step_offset=2)}).text
    unthrottle(device)
    assert client.post(VERIFY, {"code": code_for(device, step_offset=-1)}).status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_a_code_cannot_be_used_twice(client, publisher):
    device = confirmed_device(publisher)
    password_login(client, publisher)
    code = code_for(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()

    password_login(client, publisher)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200 and "已使用过" in response.text
    assert client.get(ADMIN).status_code == 302


def test_repeated_failures_end_the_session(client, publisher, settings):
    settings.ZT_2FA_MAX_FAILURES = 3
    device = confirmed_device(publisher)
    password_login(client, publisher)
    for _ in range(2):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
        unthrottle(device)
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_login")
    assert "_auth_user_id" not in client.session
    assert actions("auth.2fa.fail", "auth.2fa.lockout") == ["auth.2fa.fail"] * 3 + ["auth.2fa.lockout"]


def test_failed_codes_reach_the_login_lockout(client, publisher):
    """A wrong code is reported like a wrong password, so django-axes counts it toward the account lockout."""
    from django.contrib.auth.signals import user_login_failed

    seen = []

    def receiver(sender, credentials, request=None, **kwargs):
        seen.append(credentials)

    user_login_failed.connect(receiver)
    try:
        confirmed_device(publisher)
        password_login(client, publisher)
        client.post(VERIFY, {"code": "000000"})
    finally:
        user_login_failed.disconnect(receiver)
    assert seen == [{"username": "site_admin"}]


def test_required_user_without_device_enrols(client, publisher):
    password_login(client, publisher)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response.url.startswith(ENROL)

    page = client.get(response.url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]  # the secret is in the page
    assert "<svg" in page.text and "<script" not in page.text.split("<main")[1].split("</main>")[0]
    device = AuthenticatorDevice.objects.get(user=publisher, confirmed=False)
    secret = re.search(r'class="zt-2fa-secret">([A-Z2-7 ]+)<', page.text).group(1)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "")) == device.bin_key  # the secret for manual entry is the device's
    assert client.get(ADMIN).url.startswith(ENROL)  # nothing else until enrolled

    assert "验证码不正确" in client.post(ENROL, {"code": "000000"}).text
    unthrottle(device)
    response = client.post(ENROL, {"code": code_for(device), "next": "/admin/pages/"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'download="zhengtong-recovery-codes.txt"' in response.text
    assert "no-store" in response["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    # Stored as digests, never as the codes themselves.
    stored = set(StaticDevice.objects.get(user=publisher).token_set.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert client.get(ADMIN).status_code == 200
    assert actions("auth.2fa.enrol") == ["auth.2fa.enrol"]


def test_recovery_code_works_once(client, publisher):
    confirmed_device(publisher)
    login_verified(client, publisher)
    from zhengtong.twofactor.services import issue_recovery_codes

    code = issue_recovery_codes(publisher)[3]
    client.logout()

    password_login(client, publisher)
    response = client.post(VERIFY, {"code": code.upper().replace("-", " ")})  # as typed from paper
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200
    record = AuditRecord.objects.get(action="auth.2fa.recovery.use")
    assert record.detail["left"] == 9
    client.logout()

    password_login(client, publisher)
    assert "验证码不正确" in client.post(VERIFY, {"code": code}).text
    assert client.get(ADMIN).status_code == 302


def test_user_not_required_is_not_forced(client, portal):
    editor = department_editor(portal)
    password_login(client, editor)
    assert client.get(ADMIN).status_code == 200
    # … but may enrol, and is then asked for the code like everyone else.
    status = client.get(reverse("twofactor_status"))
    assert "未绑定" in status.text
    assert client.get(ENROL).status_code == 200
    device = AuthenticatorDevice.objects.get(user=editor)
    assert client.post(ENROL, {"code": code_for(device)}).status_code == 200
    client.logout()
    password_login(client, editor)
    assert client.get(ADMIN).url.startswith(VERIFY)


@pytest.mark.parametrize("kind", ["superuser", "administrator_role", "publisher", "personal_data"])
def test_who_must_use_two_factors(portal, kind):
    from zhengtong.twofactor.policy import two_factor_required

    user = make_staff(f"u_{kind}", portal.government)
    assert not two_factor_required(user)
    if kind == "superuser":
        user.is_superuser = True
        user.save()
    elif kind == "administrator_role":
        user.groups.add(Group.objects.get_or_create(name=roles.AUDIT_ADMIN)[0])
    elif kind == "publisher":
        user.groups.add(Group.objects.get(name=role(portal, roles.FINAL_REVIEWER)))
    else:
        # The permission belongs to zhengtong.privacy; made here so the rule is tested without that app.
        from django.contrib.contenttypes.models import ContentType

        content_type, _ = ContentType.objects.get_or_create(app_label="zt_privacy", model="personaldataaccess")
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename="view_full_personal_data", defaults={"name": "查看完整个人信息"}
        )
        user.user_permissions.add(permission)
    user = User.objects.get(pk=user.pk)  # fresh permission cache
    assert two_factor_required(user)


def test_editors_and_reviewers_are_not_required(portal):
    from zhengtong.twofactor.policy import two_factor_required

    for name in (roles.PORTAL_EDITOR, roles.REVIEWER):
        assert not two_factor_required(make_staff(f"u_{name}", portal.government, role(portal, name)))
    assert not two_factor_required(department_editor(portal))


def test_setting_can_turn_the_requirement_off_outside_production_only(publisher, settings):
    from zhengtong.twofactor.policy import two_factor_required

    settings.ZT_2FA_REQUIRED = False
    assert not two_factor_required(publisher)
    settings.PRODUCTION = True
    assert two_factor_required(publisher)


def test_regenerate_recovery_codes_needs_a_current_code(client, publisher):
    device = login_verified(client, publisher)
    url = reverse("twofactor_regenerate")
    response = client.post(url, {"code": "000000"}, follow=True)
    assert "未生成新的恢复码" in response.text
    assert not StaticDevice.objects.filter(user=publisher).exists()
    unthrottle(device)
    response = client.post(url, {"code": code_for(device)})
    assert len(re.findall(r"<li><code>", response.text)) == 10
    assert actions("auth.2fa.recovery.regenerate") == ["auth.2fa.recovery.regenerate"]


def test_reenrol_a_new_phone(client, publisher):
    old = login_verified(client, publisher)
    assert client.get(ENROL).url == reverse("twofactor_status")  # no new phone without a current code
    response = client.post(reverse("twofactor_reenrol"), {"code": code_for(old)})
    assert response.status_code == 302 and response.url.startswith(ENROL)
    assert client.get(response.url).status_code == 200
    new = AuthenticatorDevice.objects.get(user=publisher, confirmed=False)
    assert client.post(ENROL, {"code": code_for(new)}).status_code == 200
    assert list(AuthenticatorDevice.objects.filter(user=publisher).values_list("pk", flat=True)) == [new.pk]
    assert client.get(ADMIN).status_code == 200
    assert AuditRecord.objects.get(action="auth.2fa.enrol").detail == {"reenrolment": True}


def test_security_admin_resets_another_user(client, publisher, security_admin):
    device = confirmed_device(publisher)
    login_verified(client, security_admin)
    listing = client.get(reverse("twofactor_users"))
    assert listing.status_code == 200 and "site_admin" in listing.text
    url = reverse("twofactor_reset", args=[publisher.pk])
    assert "重置原因" in client.post(url, {"reason": ""}).text  # a reason is required
    assert client.post(url, {"reason": "手机丢失，已当面核实"}).status_code == 302
    assert not AuthenticatorDevice.objects.filter(pk=device.pk).exists()
    record = AuditRecord.objects.get(action="auth.2fa.reset")
    assert record.actor_id == security_admin.pk and record.object_id == str(publisher.pk)
    assert record.detail == {"reason": "手机丢失，已当面核实"}

    client.logout()
    password_login(client, publisher)
    assert client.get(ADMIN).url.startswith(ENROL)  # re-enrolment forced


def test_reset_forces_reenrolment_even_when_not_required(client, portal, security_admin):
    editor = department_editor(portal)
    confirmed_device(editor)
    login_verified(client, security_admin)
    client.post(reverse("twofactor_reset", args=[editor.pk]), {"reason": "设备更换"})
    client.logout()
    password_login(client, editor)
    assert client.get(ADMIN).url.startswith(ENROL)


def test_only_the_security_admin_resets(client, publisher, portal):
    login_verified(client, publisher)
    other = department_editor(portal)
    device = confirmed_device(other)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert client.get(reverse("twofactor_users")).status_code in (302, 403)
    assert client.post(reverse("twofactor_reset", args=[other.pk]), {"reason": "无权操作"}).status_code in (302, 403)
    assert AuthenticatorDevice.objects.filter(pk=device.pk).exists()
    assert not AuditRecord.objects.filter(action="auth.2fa.reset").exists()


def test_verified_session_of_a_reset_user_is_no_longer_verified(client, publisher, security_admin):
    login_verified(client, publisher)
    assert client.get(ADMIN).status_code == 200
    from django.test import Client

    admin_client = Client()
    login_verified(admin_client, security_admin)
    admin_client.post(reverse("twofactor_reset", args=[publisher.pk]), {"reason": "账号可能被盗用"})
    assert client.get(ADMIN).url.startswith(ENROL)


def test_next_parameter_cannot_leave_the_site(client, publisher):
    device = confirmed_device(publisher)
    password_login(client, publisher)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == ADMIN


def test_what_the_code_page_loads_is_not_redirected(client, publisher):
    """The admin's icon sprite is pasted into the page by a script: a redirect would paste the code form twice."""
    confirmed_device(publisher)
    password_login(client, publisher)
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200


def test_the_shared_secret_is_encrypted_at_rest(publisher):
    """Whoever reads the database (or a backup without the keys) cannot make codes (GB/T 39786-2021)."""
    from django.db import connection

    device = confirmed_device(publisher)
    secret_hex = device.bin_key.hex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM zt_twofactor_authenticatordevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("zt1:") and secret_hex not in stored and secret_hex.upper() not in stored
    assert device.verify_token(code_for(device))
