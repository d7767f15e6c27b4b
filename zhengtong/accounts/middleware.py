"""Per-request account security for logged-in staff.

- ends sessions that were ended elsewhere, idle too long or past their absolute lifetime
  (GB/T 22239-2019 8.1.4.1 b) 登录连接超时自动退出);
- takes back an expired break-glass superuser flag;
- sends a user whose password expired or must be changed to the change-password page, for every admin
  page except the security pages themselves (/admin/security/, where two-factor enrolment also lives) and
  logging out (8.1.4.1 a) 定期更换).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengtong.accounts import breakglass, passwords, sessions
from zhengtong.audit.services import record

# Background requests of the Wagtail editor that must not count as activity (the page stays open, the user
# may be gone): its editing-session ping runs every few seconds.
NOT_ACTIVITY = ("/editing-sessions/",)

END_MESSAGES = {
    "idle": _("长时间未操作，已自动退出，请重新登录。"),
    "lifetime": _("登录时间已到上限，请重新登录。"),
    "ended": _("此会话已在其他地方被结束，请重新登录。"),
}


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is logged in; not touching request.user then keeps the session
        # unread, so public responses carry no "Vary: Cookie" and stay cacheable (zhengtong.core.pagecache).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)

        entry = sessions.current(request)
        if entry is None or entry.user_id != user.pk:
            entry = sessions.start(request, user)  # a session opened before this record existed
        reason = sessions.end_reason_if_over(entry) if entry is not None else ""
        if reason:
            return self._end_session(request, entry, reason)
        if entry is not None and not any(part in request.path for part in NOT_ACTIVITY):
            sessions.touch(entry)

        if user.is_superuser and breakglass.revoke_expired(user.pk):
            user.refresh_from_db()

        admin_home = reverse("wagtailadmin_home")
        if request.path.startswith(admin_home) and not self._exempt(request.path):
            if passwords.change_required(passwords.state_for(user)):
                return redirect(f"{reverse('zt_accounts:password')}?next={request.get_full_path()}")

        key_before = request.session.session_key
        response = self.get_response(request)
        self._follow_key_change(request, entry, key_before, user)
        return response

    @staticmethod
    def _exempt(path: str) -> bool:
        # The security pages (this change page, two-factor enrolment), logging out, and what the change page
        # itself loads: the admin's translation catalogue and icon sprite (its script pastes the response into
        # the page, so a redirect there would paste a second page in).
        exempt = (
            reverse("wagtailadmin_home") + "security/",
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_javascript_catalog"),
            reverse("wagtailadmin_sprite"),
        )
        return path.startswith(exempt)

    @staticmethod
    def _end_session(request: HttpRequest, entry, reason: str) -> HttpResponse:
        if reason != "ended":
            sessions.end(entry, reason)
            record("auth.session_timeout", request=request, obj=request.user, detail={"reason": reason})
        path = request.get_full_path()
        logout(request)
        if request.path.startswith(reverse("wagtailadmin_home")):
            messages.info(request, END_MESSAGES[reason])
            return redirect_to_login(path)
        return redirect(path)

    @staticmethod
    def _follow_key_change(request: HttpRequest, entry, key_before: str | None, user) -> None:
        """Keep the record when the session key was cycled with the same user (a password change does it)."""
        session = getattr(request, "session", None)
        key_after = getattr(session, "session_key", None)
        if entry is None or not key_after or key_after == key_before:
            return
        if getattr(request, "user", None) is None or request.user.pk != user.pk or not request.user.is_authenticated:
            return
        new_hash = sessions.key_hash(key_after)
        from zhengtong.accounts.models import UserSession

        if not UserSession.objects.filter(key_hash=new_hash).exists():
            UserSession.objects.filter(pk=entry.pk, ended_at__isnull=True).update(key_hash=new_hash)
