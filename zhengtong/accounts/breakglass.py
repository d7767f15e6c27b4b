"""Break-glass: the only way to hold Django's superuser flag in production mode, temporary and audited.

GB/T 22239-2019 8.1.4.2 访问控制: no standing all-powerful account beside the three administrators. In an
emergency the operator, at the server's console, grants the flag for a few hours with a reason.
"""

from contextvars import ContextVar
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhengtong.accounts.models import BreakGlassGrant
from zhengtong.audit.services import record

_granting: ContextVar[bool] = ContextVar("zt_breakglass_granting", default=False)


def granting() -> bool:
    """True while this module itself sets or clears the flag (the save is allowed then)."""
    return _granting.get()


def has_active_grant(user_pk: int) -> bool:
    return BreakGlassGrant.objects.filter(
        user_id=user_pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def _set_superuser(user, value: bool) -> None:
    token = _granting.set(True)
    try:
        user.is_superuser = value
        user.save(update_fields=["is_superuser"])
    finally:
        _granting.reset(token)


@transaction.atomic
def grant(user, reason: str, hours: int) -> BreakGlassGrant:
    """Give ``user`` the superuser flag for ``hours`` hours and record why."""
    entry = BreakGlassGrant.objects.create(user=user, reason=reason, expires_at=timezone.now() + timedelta(hours=hours))
    _set_superuser(user, True)
    record("breakglass.grant", obj=user, detail={"reason": reason, "hours": hours, "expires": entry.expires_at})
    return entry


@transaction.atomic
def revoke(entry: BreakGlassGrant, why: str) -> None:
    """End one grant; the flag goes unless another grant of the same user is still running."""
    BreakGlassGrant.objects.filter(pk=entry.pk).update(revoked_at=timezone.now())
    user = get_user_model().objects.get(pk=entry.user_id)
    if user.is_superuser and not has_active_grant(user.pk):
        _set_superuser(user, False)
    record("breakglass.revoke", obj=user, detail={"why": why, "granted": entry.granted_at})


def revoke_expired(user_pk: int | None = None) -> int:
    """Revoke every grant past its time (of one user, or all); returns how many."""
    expired = BreakGlassGrant.objects.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())
    if user_pk is not None:
        expired = expired.filter(user_id=user_pk)
    count = 0
    for entry in expired:
        revoke(entry, "expired")
        count += 1
    return count
