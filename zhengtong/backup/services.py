"""Backups as the platform's operations: each one leaves a record in the audit trail.

backup.create / backup.fail / backup.verify / backup.restore (zhengtong.audit.services.record); the
details name files and counts, never the passphrase.
"""

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from zhengtong.audit.keys import audit_key
from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.backup import archive
from zhengtong.backup.archive import BackupResult, Say, VerifyResult
from zhengtong.backup.passphrase import backup_passphrase

logger = logging.getLogger(__name__)


def _safe_record(action: str, **kwargs) -> None:
    # A failing backup often means a failing database: the log keeps the event even if the trail cannot.
    try:
        record(action, **kwargs)
    except Exception:
        logger.exception("could not record %s in the audit trail", action)


def make_backup(output_dir: Path | None = None, *, say: Say = archive._quiet, actor=None) -> tuple[BackupResult, bool]:
    """Create a backup (default: the backup directory); return it and whether the passphrase is new."""
    output_dir = Path(output_dir or archive.backup_dir())
    try:
        audit_key()  # made on first use: make sure a backup of a new installation carries it
        passphrase, created = backup_passphrase()
        result = archive.create_backup(output_dir, passphrase, say=say)
    except Exception as exc:
        logger.exception("backup into %s failed", output_dir)
        _safe_record(
            "backup.fail",
            actor=actor,
            result=AuditRecord.Result.FAILURE,
            detail={"directory": str(output_dir), "error": str(exc)[:300]},
        )
        raise
    _safe_record(
        "backup.create",
        actor=actor,
        detail={
            "file": str(result.path),
            "size": result.size,
            "engine": result.manifest["engine"],
            "tables": len(result.manifest["counts"]),
            "files": len(result.manifest["files"]),
        },
    )
    return result, created


def verify(path: Path, passphrase: str | None, *, say: Say = archive._quiet, actor=None) -> VerifyResult:
    result = archive.verify_backup(path, passphrase, say=say)
    _safe_record(
        "backup.verify",
        actor=actor,
        result=AuditRecord.Result.SUCCESS if result.ok else AuditRecord.Result.FAILURE,
        detail={"file": str(Path(path).resolve()), "problems": result.problems[:10]},
    )
    return result


def newest_backup_time() -> datetime | None:
    """When the newest backup was made: in the backup directory, or anywhere the trail saw one made."""
    times = [moment for moment, _path in archive.list_backups()]
    last = AuditRecord.objects.filter(action="backup.create", result=AuditRecord.Result.SUCCESS).order_by("-sequence")
    last = last.values_list("time", flat=True).first()
    if last:
        times.append(last)
    return max(times) if times else None


@contextmanager
def _exclusive(directory: Path) -> Iterator[bool]:
    """Whether this process holds the backup lock: several workers must not back up at the same time."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


RETRY_AFTER = timedelta(hours=1)


def daily_backup_due(now: datetime | None = None) -> bool:
    """Once a day, from ``ZT_BACKUP_HOUR`` (local time) on; after a failure, again an hour later."""
    now = timezone.localtime(now or timezone.now())
    if settings.ZT_BACKUP_HOUR is None or now.hour < settings.ZT_BACKUP_HOUR:
        return False
    newest = newest_backup_time()
    if newest and timezone.localtime(newest).date() == now.date():
        return False
    failed = AuditRecord.objects.filter(action="backup.fail", time__gt=now - RETRY_AFTER).exists()
    return not failed


def run_daily_backup(now: datetime | None = None) -> str:
    """The worker's daily job: back up into the backup directory if due, then keep the newest N."""
    if not daily_backup_due(now):
        return "not due"
    directory = archive.backup_dir()
    with _exclusive(directory) as mine:
        if not mine or not daily_backup_due(now):
            return "not due"
        result, created = make_backup(directory)
        if created:
            logger.warning(
                "a backup passphrase was generated in %s: run `./zt backup --show-passphrase` and keep a copy "
                "off this server, or the backups cannot be restored when the server is lost",
                settings.ZT_BACKUP_PASSPHRASE_FILE,
            )
        for path in archive.prune(settings.ZT_BACKUP_KEEP, directory):
            logger.info("old backup %s deleted (keeping %d)", path.name, settings.ZT_BACKUP_KEEP)
    return str(result.path)
