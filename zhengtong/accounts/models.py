"""Per-user security state kept beside ``core.User`` (which this app does not change).

GB/T 22239-2019 8.1.4.1 身份鉴别: passwords of sufficient complexity changed periodically, login
failures handled, sessions ended after a time; 8.1.4.2 访问控制: three separate administrators and no
standing superuser.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordState(models.Model):
    """When the user's password was last set and whether it must be changed at the next request."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_state"
    )
    changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("密码状态")
        verbose_name_plural = _("密码状态")
        default_permissions = ()
        # Permissions of the security administrator, held here because they belong to no other model.
        permissions = [
            ("unlock_account", _("解锁被锁定的账号与地址")),
            ("assign_roles", _("为用户分配角色")),
        ]

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """Hashes of the user's recent passwords, so a new one cannot repeat them (never the password itself)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码哈希"), max_length=255)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """One logged-in session of a staff member.

    Only a SHA-256 of the session key is kept: whoever reads this table cannot take over a session.
    Ending a session marks it ended; the session middleware then logs out the browser holding it at its
    next request, whatever the session backend (database or Redis).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="security_sessions"
    )
    key_hash = models.CharField(_("会话标识摘要"), max_length=64, unique=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近活动"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        ordering = ["-last_seen_at"]
        default_permissions = ()
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.address or ''} {self.started_at:%Y-%m-%d %H:%M}"


class BreakGlassGrant(models.Model):
    """A temporary superuser flag granted by ``./zt breakglass`` (the only way in production mode)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="breakglass_grants"
    )
    reason = models.TextField(_("原因"))
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("收回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("应急超级权限")
        verbose_name_plural = _("应急超级权限")
        ordering = ["-granted_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user} {self.granted_at:%Y-%m-%d %H:%M}–{self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
