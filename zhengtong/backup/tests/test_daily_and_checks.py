"""The worker's daily backup, its retention, and the platform checks (zhengtong.W500-W503, E502)."""

from datetime import datetime, timedelta

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.backup import archive, database
from zhengtong.backup.services import daily_backup_due, run_daily_backup
from zhengtong.backup.tests.conftest import BACKUP_DB


def at(hour: int, day: int = 27) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour, 30))


def fake_backup(directory, moment: datetime) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / archive.archive_name(moment)
    path.write_bytes(b"x")
    archive.checksum_path(path).write_text("x")


def check_ids() -> set[str]:
    """The backup checks' ids (zhengtong.W5xx / E5xx) among the platform checks."""
    messages = run_checks(tags=["zhengtong"], include_deployment_checks=True)
    return {m.id for m in messages if m.id.startswith("zhengtong.") and m.id[-3] == "5"}


@pytest.mark.django_db
def test_due_once_a_day_from_the_configured_hour(data_dir, settings):
    settings.ZT_BACKUP_HOUR = 2
    assert not daily_backup_due(at(1))
    assert daily_backup_due(at(2))
    fake_backup(settings.ZT_BACKUP_DIR, at(2))
    assert not daily_backup_due(at(23))
    assert daily_backup_due(at(3, day=28))
    settings.ZT_BACKUP_HOUR = None  # ZT_BACKUP_HOUR=off
    assert not daily_backup_due(at(3, day=28))


@pytest.mark.django_db
def test_a_failure_is_retried_an_hour_later(data_dir, settings):
    settings.ZT_BACKUP_HOUR = 0
    record("backup.fail", result="failure", detail={"error": "disk full"})
    assert not daily_backup_due(timezone.now() + timedelta(minutes=30))
    assert daily_backup_due(timezone.now() + timedelta(minutes=61))


@BACKUP_DB
def test_daily_backup_writes_into_the_backup_directory_and_keeps_the_newest(data_dir, settings, portal):
    settings.ZT_BACKUP_HOUR = 0
    settings.ZT_BACKUP_KEEP = 3
    for day in range(1, 6):
        fake_backup(settings.ZT_BACKUP_DIR, at(2, day=day))
    written = run_daily_backup()
    assert written.startswith(str(settings.ZT_BACKUP_DIR))
    names = [path.name for _moment, path in archive.list_backups()]
    assert len(names) == 3 and names[-1] == written.rsplit("/", 1)[-1]
    assert run_daily_backup() == "not due"  # once a day
    assert AuditRecord.objects.filter(action="backup.create").count() == 1


@BACKUP_DB
def test_a_failed_backup_is_logged_and_recorded(data_dir, settings, monkeypatch, caplog):
    settings.ZT_BACKUP_HOUR = 0

    def broken(*args, **kwargs):
        raise database.BackupError("pg_dump 失败：磁盘已满")

    monkeypatch.setattr(archive, "create_backup", broken)
    with pytest.raises(database.BackupError):
        run_daily_backup()
    failure = AuditRecord.objects.get(action="backup.fail")
    assert failure.result == "failure" and "磁盘已满" in failure.detail["error"]
    assert "backup into" in caplog.text
    assert "zhengtong.W503" in check_ids()


@pytest.mark.django_db
def test_checks_warn_without_a_recent_backup_and_error_after_a_failed_verify(data_dir, settings):
    assert "zhengtong.W500" in check_ids()
    fake_backup(settings.ZT_BACKUP_DIR, timezone.now() - timedelta(days=3))
    assert check_ids() == {"zhengtong.W501"}
    fake_backup(settings.ZT_BACKUP_DIR, timezone.now() - timedelta(hours=5))
    assert check_ids() == set()
    record("backup.verify", result="failure", detail={"file": "x.tar.gz", "problems": ["..."]})
    assert check_ids() == {"zhengtong.E502"}
    record("backup.verify", detail={"file": "y.tar.gz", "problems": []})
    assert check_ids() == set()


def test_pg_dump_missing_or_too_old_is_explained(monkeypatch, settings):
    settings.ZT_PG_BIN_DIR = ""
    monkeypatch.setattr(database.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(database.shutil, "which", lambda name: None)
    with pytest.raises(database.BackupError, match=r"找不到 pg_dump.*postgresql-client-16"):
        database.find_pg_tool("pg_dump", 16)
    monkeypatch.setattr(database.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(database.os, "access", lambda path, mode: True)
    monkeypatch.setattr(database, "_tool_version", lambda path: 13)
    with pytest.raises(database.BackupError, match="版本（13）比数据库服务器（16）旧"):
        database.find_pg_tool("pg_dump", 16)
    assert database.find_pg_tool("pg_dump", 13) == "/usr/bin/pg_dump"


def test_the_installed_pg_dump_version_is_read():
    import shutil

    if not shutil.which("pg_dump"):
        pytest.skip("no PostgreSQL client on this machine")
    assert database._tool_version(shutil.which("pg_dump")) >= 9
