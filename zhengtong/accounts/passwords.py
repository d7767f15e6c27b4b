"""Password state: when it was set, when it expires, whether it must be changed now.

The history and the state are written from a ``post_save`` receiver on the user (``signals.py``), so a
password set anywhere (forms, ``changepassword``, ``set_password()`` + ``save()``) is counted.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from zhengtong.accounts.models import PasswordHistory, PasswordState


def max_age() -> timedelta | None:
    """How long a password lasts (``ZT_PASSWORD_MAX_AGE_DAYS``; 0 or less: forever)."""
    days = int(getattr(settings, "ZT_PASSWORD_MAX_AGE_DAYS", 90))
    return timedelta(days=days) if days > 0 else None


def state_for(user) -> PasswordState:
    """The user's password state; a user without one (an account older than this app) starts the clock now."""
    state, _created = PasswordState.objects.get_or_create(user=user)
    return state


def expires_at(state: PasswordState) -> datetime | None:
    age = max_age()
    return state.changed_at + age if age else None


def change_required(state: PasswordState, now: datetime | None = None) -> bool:
    """True when the password must be changed before anything else: flagged, or older than the maximum age."""
    if state.must_change:
        return True
    expiry = expires_at(state)
    return expiry is not None and (now or timezone.now()) >= expiry


def remember_password(user, *, must_change: bool = False) -> None:
    """Store the new hash in the history (keeping the configured number) and restart the expiry clock."""
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(int(getattr(settings, "ZT_PASSWORD_HISTORY", 5)), 1)
    old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()
    PasswordState.objects.update_or_create(
        user=user, defaults={"changed_at": timezone.now(), "must_change": must_change}
    )


def require_change(user) -> None:
    """Flag the account so its next request goes to the change-password page."""
    PasswordState.objects.update_or_create(user=user, defaults={"must_change": True})
