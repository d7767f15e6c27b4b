"""Fixtures of the backup tests: a private data directory, a fast passphrase KDF.

Tests that make a backup use a transactional database: the backup reads the database through another
connection (SQLite's backup API, pg_dump), which sees committed rows only. serialized_rollback gives each
such test the rows the migrations created (Wagtail's root page) back.
"""

from pathlib import Path

import pytest

from zhengtong.backup import crypto

BACKUP_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def data_dir(settings, tmp_path, monkeypatch) -> Path:
    """This test's own ZT_DATA_DIR (media, secrets, backups), apart from other test workers."""
    from zhengtong.audit.keys import audit_key

    root = tmp_path / "data"
    (root / "media").mkdir(parents=True)
    (root / "secrets").mkdir(mode=0o700)
    # Records the migrations wrote (restored by serialized_rollback) were MACed with the worker's key: keep it.
    (root / "secrets" / "audit_key").write_bytes(audit_key())
    (root / "secrets" / "secret_key").write_text("test-secret-key")
    settings.DATA_DIR = root
    settings.MEDIA_ROOT = root / "media"
    settings.ZT_AUDIT_KEY_FILE = root / "secrets" / "audit_key"
    settings.ZT_BACKUP_PASSPHRASE_FILE = root / "secrets" / "backup_passphrase"
    settings.ZT_BACKUP_DIR = root / "backups"
    monkeypatch.delenv("ZT_BACKUP_PASSPHRASE", raising=False)
    # The real cost (2**17) is for attackers; tests derive keys many times.
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**12)
    return root
