"""The record of each staff member's sessions: timeouts, listing, ending one or all others.

GB/T 22239-2019 8.1.4.1 b) 登录连接超时自动退出. Works with any session backend (database or Redis):
the session itself holds nothing of ours; a row here, found by the SHA-256 of the session key, says when
the session started, when it was last used and whether it was ended.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from zhengtong.accounts.models import UserSession
from zhengtong.audit.services import client_address

# last_seen_at is written at most this often: one UPDATE a minute per session, not one per request.
TOUCH_EVERY = timedelta(seconds=60)


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def idle_timeout() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "ZT_SESSION_IDLE_MINUTES", 30)))


def absolute_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "ZT_SESSION_ABSOLUTE_HOURS", 12)))


def start(request: HttpRequest, user) -> UserSession | None:
    """Record the session just opened by ``login()`` (its key was cycled before this is called)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if not session.session_key:
        session.save()
    if not session.session_key:  # a backend without server-side keys (signed cookies): nothing to record
        return None
    now = timezone.now()
    record, _created = UserSession.objects.update_or_create(
        key_hash=key_hash(session.session_key),
        defaults={
            "user": user,
            "address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "started_at": now,
            "last_seen_at": now,
            "ended_at": None,
            "end_reason": "",
        },
    )
    return record


def current(request: HttpRequest) -> UserSession | None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key:
        return None
    return UserSession.objects.filter(key_hash=key_hash(key)).first()


def end_reason_if_over(record: UserSession, now: datetime | None = None) -> str:
    """Why the session must end now ("idle", "lifetime", "ended"), or "" while it may go on."""
    now = now or timezone.now()
    if record.ended_at is not None:
        return "ended"
    if now - record.started_at >= absolute_lifetime():
        return "lifetime"
    if now - record.last_seen_at >= idle_timeout():
        return "idle"
    return ""


def touch(record: UserSession, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if now - record.last_seen_at >= TOUCH_EVERY:
        UserSession.objects.filter(pk=record.pk).update(last_seen_at=now)
        record.last_seen_at = now


def end(record: UserSession, reason: str) -> None:
    if record.ended_at is None:
        UserSession.objects.filter(pk=record.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )


def active_for(user):
    """The user's sessions that are neither ended nor past a timeout, newest first."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        ended_at__isnull=True,
        started_at__gt=now - absolute_lifetime(),
        last_seen_at__gt=now - idle_timeout(),
    ).order_by("-last_seen_at")


def end_others(user, keep: UserSession | None, reason: str) -> int:
    """End every open session of ``user`` except ``keep``; returns how many were ended."""
    sessions = UserSession.objects.filter(user=user, ended_at__isnull=True)
    if keep is not None:
        sessions = sessions.exclude(pk=keep.pk)
    return sessions.update(ended_at=timezone.now(), end_reason=reason)
