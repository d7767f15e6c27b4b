"""Creating, verifying and refusing to restore archives (both database engines)."""

import json
import os
import stat
import tarfile

import pytest
from django.db import connection

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.backup import archive, services
from zhengtong.backup.crypto import WrongPassphrase
from zhengtong.backup.database import BackupError
from zhengtong.backup.datadir import nonempty_entries
from zhengtong.backup.tests.conftest import BACKUP_DB
from zhengtong.backup.tests.helpers import change_manifest, upload_files


@pytest.fixture
def made(data_dir, portal):
    """One backup of a small portal with an uploaded document and image and some audit records."""
    upload_files()
    for i in range(3):
        record("test.event", detail={"n": i})
    result, created = services.make_backup()
    return result, created


@BACKUP_DB
def test_backup_holds_database_media_keys_and_manifest(made, data_dir):
    result, created = made
    assert created  # the first backup generates the passphrase
    passphrase_file = data_dir / "secrets" / "backup_passphrase"
    assert stat.S_IMODE(passphrase_file.stat().st_mode) == 0o600
    assert result.path.parent == data_dir / "backups"
    assert archive.NAME_RE.match(result.path.name)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    sidecar = archive.checksum_path(result.path).read_text().split()
    assert sidecar == [archive.sha256_file(result.path), result.path.name]

    with tarfile.open(result.path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(archive.MANIFEST_MEMBER))
        encrypted = tar.extractfile(archive.SECRETS_MEMBER).read()
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    assert manifest["engine"] == engine
    assert (archive.PG_MEMBER if engine == "postgresql" else archive.SQLITE_MEMBER) in names
    assert any(n.startswith("media/documents/") for n in names)
    assert any(n.startswith("media/original_images/") for n in names)
    assert set(manifest["files"]) == set(names) - {archive.MANIFEST_MEMBER}
    assert manifest["counts"]["wagtaildocs_document"] == 1
    assert manifest["counts"]["zt_audit_auditrecord"] == AuditRecord.objects.count() - 1  # backup.create after
    assert "0001_initial" in manifest["migrations"]["zt_audit"]
    # The keys are inside, encrypted; the passphrase itself is not.
    assert set(manifest["secrets"]) == {"secret_key", "audit_key"}
    assert b"test-secret-key" not in encrypted
    assert "backup_passphrase" not in " ".join(names)
    # ... and the creation is in the audit trail.
    assert AuditRecord.objects.filter(action="backup.create").count() == 1


@BACKUP_DB
def test_verify_passes_on_a_good_backup_and_is_recorded(made):
    result, _created = made
    checked = services.verify(result.path, services.backup_passphrase()[0])
    assert checked.ok, checked.problems
    assert AuditRecord.objects.get(action="backup.verify").result == "success"
    if connection.vendor == "postgresql":  # the scratch database is gone again
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'zt_verify_%%'")
            assert cursor.fetchone()[0] == 0


@BACKUP_DB
def test_verify_reports_every_difference(made):
    result, _created = made
    passphrase = services.backup_passphrase()[0]

    def tamper(manifest):
        manifest["counts"]["wagtaildocs_document"] = 2
        member = next(n for n in manifest["files"] if n.startswith("media/documents/"))
        manifest["files"][member] = "0" * 64

    change_manifest(result.path, tamper)
    checked = services.verify(result.path, passphrase)
    assert not checked.ok
    text = "\n".join(checked.problems)
    assert "wagtaildocs_document" in text and "清单 2" in text
    assert "文件内容与清单不符：media/documents/" in text
    assert AuditRecord.objects.filter(action="backup.verify").latest("sequence").result == "failure"
    # A wrong passphrase is a failed verification too.
    assert not archive.verify_backup(result.path, "not-the-passphrase").ok


@BACKUP_DB
def test_restore_checks_checksum_and_passphrase_before_writing(made, tmp_path):
    result, _created = made
    target = tmp_path / "restored"
    with pytest.raises(WrongPassphrase):
        archive.restore_backup(result.path, target, "not-the-passphrase")
    assert nonempty_entries(target) == []  # nothing written
    with open(result.path, "r+b") as f:  # one flipped byte: damaged in transit
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(BackupError, match="与校验值不符"):
        archive.restore_backup(result.path, target, services.backup_passphrase()[0])
    archive.checksum_path(result.path).unlink()
    with pytest.raises(BackupError, match=r"\.sha256"):
        archive.restore_backup(result.path, target, services.backup_passphrase()[0])


def test_restore_refuses_a_data_directory_with_data(tmp_path):
    target = tmp_path / "var"
    (target / "media" / "documents").mkdir(parents=True)
    (target / "backups").mkdir()
    (target / "backups" / "old.tar.gz").write_bytes(b"x")
    assert nonempty_entries(target) == []  # empty directories and backups/ do not count
    (target / "media" / "documents" / "a.pdf").write_bytes(b"x")
    (target / "db.sqlite3").write_bytes(b"x")
    assert nonempty_entries(target) == ["db.sqlite3", "media/"]
    with pytest.raises(BackupError, match="不是空的"):
        archive.restore_backup(tmp_path / "missing.tar.gz", target, "pw")


def test_cli_restore_refuses_before_starting_django(tmp_path, capsys):
    from zhengtong import cli

    target = tmp_path / "var"
    target.mkdir()
    (target / "db.sqlite3").write_bytes(b"x")
    assert cli.main(["restore", str(tmp_path / "x.tar.gz"), "--data-dir", str(target)]) == 1
    assert "不是空的" in capsys.readouterr().err
    assert os.listdir(target) == ["db.sqlite3"]


def test_prune_keeps_the_newest(tmp_path):
    for day in range(1, 6):
        path = tmp_path / f"zhengtong-backup-202611{day:02d}-020000.tar.gz"
        path.write_bytes(b"x")
        archive.checksum_path(path).write_text("x")
    (tmp_path / "unrelated.txt").write_text("kept")
    deleted = archive.prune(2, tmp_path)
    assert [p.name for p in deleted] == [f"zhengtong-backup-202611{d:02d}-020000.tar.gz" for d in (1, 2, 3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "unrelated.txt",
        "zhengtong-backup-20261104-020000.tar.gz",
        "zhengtong-backup-20261104-020000.tar.gz.sha256",
        "zhengtong-backup-20261105-020000.tar.gz",
        "zhengtong-backup-20261105-020000.tar.gz.sha256",
    ]
