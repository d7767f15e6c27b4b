"""What django-otp's devices do not keep: consecutive failures per user and a pending forced re-enrolment."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
