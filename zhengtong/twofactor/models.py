"""Authenticator devices with encrypted secrets, and what django-otp does not keep: consecutive failures per
user and a pending forced re-enrolment."""

import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from zhengtong.privacy.fields import PersonalDataField, plaintext


class TwoFactorState(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_state", verbose_name=_("用户")
    )
    # Wrong codes since the last right one, over all sessions: ZT_2FA_MAX_FAILURES of them end the session.
    failed_attempts = models.PositiveIntegerField(_("连续验证失败次数"), default=0)
    # Set when the security administrator resets the user's devices: enrol again at next login, even if
    # the user's roles alone would not require it.
    enrolment_required = models.BooleanField(_("须重新绑定"), default=False)
    reset_at = models.DateTimeField(_("最近重置时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("双因素认证状态")
        verbose_name_plural = _("双因素认证状态")

    def __str__(self) -> str:
        return str(self.user)


def new_secret() -> str:
    """A fresh 160-bit TOTP secret, hex (RFC 4226 recommends 160 bits)."""
    return secrets.token_hex(20)


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator (RFC 6238) whose shared secret is encrypted at rest.

    django-otp's own TOTPDevice keeps the secret as plain hex in the database, and anyone who reads the
    database could then make codes; here the secret goes through the platform's personal-data protection
    (SM4-GCM, GB/T 39786-2021), so a copied database or backup holds no usable secret without the keys.
    """

    secret = PersonalDataField(_("密钥"), kind="text", default=new_secret)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    # One 30-second step either side, never widened by drift learning (settings: OTP_TOTP_SYNC = False).
    tolerance = models.PositiveSmallIntegerField(default=1)
    # The last time step accepted: a code is never accepted twice (RFC 6238 §5.2).
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("身份验证器")
        verbose_name_plural = _("身份验证器")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(plaintext(self.secret).encode())

    @property
    def config_url(self) -> str:
        """The otpauth:// address the QR code carries (the format authenticator apps read)."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "")
        label = f"{issuer}:{self.user.get_username()}" if issuer else self.user.get_username()
        query = {"secret": b32encode(self.bin_key).decode().rstrip("="), "algorithm": "SHA1"}
        query.update({"digits": self.digits, "period": self.step})
        if issuer:
            query["issuer"] = issuer
        return f"otpauth://totp/{quote(label)}?{urlencode(query)}"

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            value = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits)
            totp.time = time.time()
            verified = totp.verify(value, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
        if verified:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
        else:
            self.throttle_increment(commit=False)
        self.save()
        return verified
