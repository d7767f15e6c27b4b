"""The rules of the second factor: enrol, verify a code, recovery codes, reset.

Views call these; each state change writes the audit trail (actions ``auth.2fa.*``,
GB/T 22239-2019 8.1.4.3 安全审计). Codes and secrets never go into an audit record.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import django_otp
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from zhengtong.audit.services import record
from zhengtong.twofactor.models import AuthenticatorDevice, TwoFactorState

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread from paper
RECOVERY_CODE_LENGTH = 10
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"


def normalise(token: str) -> str:
    """What the user typed, without spaces and hyphens, lower case (codes are read off a phone or paper)."""
    return re.sub(r"[\s\-]", "", token or "").lower()


def is_totp_code(token: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", normalise(token)))


def recovery_digest(code: str) -> str:
    """The stored form of a recovery code: a keyed digest, so a copy of the database holds no usable code.

    64 bits fit django-otp's 16-character token column; the codes themselves carry about 49 bits.
    """
    return salted_hmac("zhengtong.twofactor.recovery", normalise(code)).hexdigest()[:16]


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def state_for(user: AbstractBaseUser) -> TwoFactorState:
    state, _created = TwoFactorState.objects.get_or_create(user=user)
    return state


def totp_device(user: AbstractBaseUser) -> AuthenticatorDevice | None:
    return AuthenticatorDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return device.token_set.count() if device else 0


# --- Enrolment ----------------------------------------------------------------


def pending_device(user: AbstractBaseUser) -> AuthenticatorDevice:
    """The unconfirmed authenticator of an enrolment under way (a new secret if none is pending)."""
    device = AuthenticatorDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = AuthenticatorDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def discard_pending(user: AbstractBaseUser) -> None:
    AuthenticatorDevice.objects.devices_for_user(user, confirmed=False).delete()


@transaction.atomic
def issue_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with new ones and return them (shown once, stored as digests)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    device.token_set.bulk_create([device.token_set.model(device=device, token=recovery_digest(c)) for c in codes])
    return codes


def confirm_enrolment(request: HttpRequest, device: AuthenticatorDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with its first code; return the new recovery codes, or None.

    The new device replaces any earlier one (re-enrolment), and the session counts as verified with it.
    """
    user = request.user
    with transaction.atomic():
        device = AuthenticatorDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not is_totp_code(token) or not device.verify_token(normalise(token)):
            return None
        replaced = AuthenticatorDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
        reenrolment = replaced.exists()
        replaced.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = issue_recovery_codes(user)
        TwoFactorState.objects.update_or_create(user=user, defaults={"enrolment_required": False, "failed_attempts": 0})
        record("auth.2fa.enrol", request=request, obj=user, detail={"reenrolment": reenrolment})
    _mark_verified(request, device)
    return codes


# --- Verification -------------------------------------------------------------


@dataclass
class Outcome:
    """The result of checking one code."""

    device: Device | None = None  # the device that accepted it
    recovery: bool = False  # a recovery code was used
    wait_until: datetime | None = None  # refused unchecked: too many recent failures (django-otp throttling)
    session_ended: bool = False  # this failure reached ZT_2FA_MAX_FAILURES; the user is logged out

    @property
    def ok(self) -> bool:
        return self.device is not None


def check_code(user: AbstractBaseUser, token: str, *, allow_recovery: bool = True) -> Outcome:
    """Check a code against the user's devices, without side effects beyond django-otp's own.

    Six digits are an authenticator code: accepted for the current 30-second step or one step either side,
    and only once (django-otp refuses a step not later than the last one used, ``last_t``). Anything else is
    tried as a recovery code, which is deleted when used. Wrong codes make the device wait 1, 2, 4 … seconds
    before it checks again (django-otp throttling).
    """
    recovery = not is_totp_code(token)
    if recovery and not allow_recovery:
        return Outcome()
    if recovery:
        model, value = StaticDevice, recovery_digest(token)
    else:
        model, value = AuthenticatorDevice, normalise(token)
    outcome = Outcome(recovery=recovery)
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, info = device.verify_is_allowed()
            if not allowed:
                outcome.wait_until = (info or {}).get("locked_until")
                continue
            if device.verify_token(value):
                outcome.device = device
                outcome.wait_until = None
                break
    return outcome


def verify(request: HttpRequest, token: str, *, allow_recovery: bool = True, purpose: str = "login") -> Outcome:
    """Check a code typed by the logged-in user and apply the consequences.

    Right: failures reset, recorded. Wrong: counted (per user, across sessions), recorded as
    ``auth.2fa.fail``, reported to Django's ``user_login_failed`` so the login lockout (django-axes) counts
    it like a wrong password; at ``ZT_2FA_MAX_FAILURES`` in a row the session ends (GB/T 22239-2019 8.1.4.1 b
    登录失败处理). Refused unchecked while throttled: nothing is counted, the user is told to wait.
    """
    user = request.user
    outcome = check_code(user, token, allow_recovery=allow_recovery)
    method = "recovery" if outcome.recovery else "totp"
    if outcome.ok:
        TwoFactorState.objects.update_or_create(user=user, defaults={"failed_attempts": 0})
        if outcome.recovery:
            record(
                "auth.2fa.recovery.use",
                request=request,
                obj=user,
                detail={"purpose": purpose, "left": recovery_codes_left(user)},
            )
        else:
            record("auth.2fa.verify", request=request, obj=user, detail={"purpose": purpose})
        return outcome
    if outcome.wait_until is not None:
        return outcome
    with transaction.atomic():
        state = TwoFactorState.objects.select_for_update().get_or_create(user=user)[0]
        state.failed_attempts += 1
        state.save(update_fields=["failed_attempts"])
    record(
        "auth.2fa.fail",
        request=request,
        obj=user,
        result="failure",
        detail={"purpose": purpose, "method": method, "failures": state.failed_attempts},
    )
    user_login_failed.send(sender=__name__, credentials={user.USERNAME_FIELD: user.get_username()}, request=request)
    if state.failed_attempts >= settings.ZT_2FA_MAX_FAILURES:
        record(
            "auth.2fa.lockout",
            request=request,
            obj=user,
            result="denied",
            detail={"failures": state.failed_attempts},
        )
        logout(request)
        outcome.session_ended = True
    return outcome


def login_with(request: HttpRequest, outcome: Outcome) -> None:
    """Mark the session as having passed the second factor with the device that accepted the code."""
    _mark_verified(request, outcome.device)


def _mark_verified(request: HttpRequest, device: Device) -> None:
    # A new session key once the second factor is passed: a key seen before (e.g. planted before login)
    # must not become a fully authenticated session.
    request.session.cycle_key()
    django_otp.login(request, device)


# --- Reset by the security administrator ----------------------------------------


@transaction.atomic
def reset(request: HttpRequest, target: AbstractBaseUser, reason: str) -> None:
    """Remove the target's authenticator and recovery codes; they enrol again at their next admin request.

    Their sessions verified with the removed device are no longer verified (OTPMiddleware finds no device).
    """
    AuthenticatorDevice.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    TwoFactorState.objects.update_or_create(
        user=target, defaults={"enrolment_required": True, "failed_attempts": 0, "reset_at": timezone.now()}
    )
    record("auth.2fa.reset", request=request, obj=target, detail={"reason": reason[:500]})
