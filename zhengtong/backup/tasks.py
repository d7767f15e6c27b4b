"""The worker's daily backup (listed in settings.ZT_PERIODIC_TASKS, enqueued every minute)."""

from django_tasks import task

from zhengtong.backup.services import run_daily_backup


@task()
def daily_backup() -> str:
    """Back up once a day from ZT_BACKUP_HOUR; idempotent, so enqueueing it every minute is harmless."""
    return run_daily_backup()
