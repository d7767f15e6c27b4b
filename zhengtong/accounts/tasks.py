"""Periodic jobs of the accounts app (listed in settings.ZT_PERIODIC_TASKS)."""

from django_tasks import task

from zhengtong.accounts.breakglass import revoke_expired


@task()
def revoke_expired_breakglass() -> int:
    """Take back superuser flags whose break-glass grant has ended (idempotent)."""
    return revoke_expired()
