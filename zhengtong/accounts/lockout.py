"""Lockout after repeated login failures (django-axes), GB/T 22239-2019 8.1.4.1 b) 登录失败处理功能."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhengtong.audit.services import client_address


def client_ip(request: HttpRequest) -> str:
    """The address lockouts count by: the audit trail's rule (X-Forwarded-For only behind a trusted proxy)."""
    return client_address(request) or request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104  # nosec B104 - a placeholder address for lockout counting, nothing binds to it


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page shown instead of the login form while the account or address is locked."""
    context = {
        "minutes": cooloff_minutes(),
        "failures": settings.AXES_FAILURE_LIMIT,
        "contact": settings.ZT_SECURITY_CONTACT,
    }
    return render(request, "accounts/locked_out.html", context, status=403)


def locked(field: str) -> list[dict]:
    """Accounts (``field="username"``) or addresses (``"ip_address"``) locked now, with failures and until when."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since).exclude(**{f"{field}__isnull": True})
    if field == "username":
        attempts = attempts.exclude(username="")
    rows = (
        attempts.values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    return [{"value": r[field], "failures": r["failures"], "until": r["last"] + cooloff} for r in rows]


def unlock(*, username: str | None = None, address: str | None = None) -> int:
    """Remove the failure records of an account or an address; returns how many were removed."""
    from axes.utils import reset

    if username:
        return reset(username=username)
    if address:
        return reset(ip=address)
    return 0
