"""Logging in as a user who has passed the second factor, for tests.

The control stays on in tests (ZT_2FA_REQUIRED is not turned off): a test that needs a staff user in the
admin gives them a confirmed authenticator and a session verified with it, just as a real login would end.

- ``login_verified(client, user)``: Django test client, logged in and verified (replaces ``force_login``).
- ``code_for(device)``: the code the user's phone shows now (one not yet used, so two logins in the same
  30 seconds both work), for tests that go through the code page themselves, in the test client or a browser.
- ``browser_login(page, username, password, device)``: the whole login in a Playwright page.
"""

import time

from django.contrib.auth.models import AbstractBaseUser
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp

from zhengtong.twofactor.models import AuthenticatorDevice


def confirmed_device(user: AbstractBaseUser) -> AuthenticatorDevice:
    """The user's confirmed authenticator, created if they have none."""
    device = AuthenticatorDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()
    if device is None:
        device = AuthenticatorDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    return device


def code_for(device: AuthenticatorDevice, *, step_offset: int = 0) -> str:
    """A code the device would accept now: the current step's, or the next one's if the current is used.

    The server accepts one step either side and never a step at or before the last one used (``last_t``);
    when both the current and next steps are used, this waits for the next step. ``step_offset`` gives the
    code of another step instead (e.g. -1 for the previous one, 2 for one the server must refuse).
    """
    device.refresh_from_db()
    while True:
        now = (int(time.time()) - device.t0) // device.step
        if step_offset:
            return token_at(device, now + step_offset)
        for t in (now, now + 1):
            if t > device.last_t:
                return token_at(device, t)
        time.sleep(1)


def token_at(device: AuthenticatorDevice, t: int) -> str:
    """The code of time step ``t``."""
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def login_verified(client, user: AbstractBaseUser) -> AuthenticatorDevice:
    """Log ``user`` in on the Django test client with a session that has passed the second factor."""
    device = confirmed_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def browser_login(page, username: str, password: str, device: AuthenticatorDevice, next_path: str = "/admin/") -> None:
    """Log in through the real pages in a Playwright page: password, then the code computed from ``device``."""
    page.goto(f"/admin/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    page.fill("input[name=code]", code_for(device))
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
