"""Fixtures of the backup tests: a private data directory, a fast passphrase KDF.

Tests that make a backup use a transactional database: the backup reads the database through another
connection (SQLite's backup API, pg_dump), which sees committed rows only. Such tests end by emptying the
database, so ``data_dir`` puts back the migration-made rows a portal needs (Wagtail's root page and root
collection). Not serialized_rollback: after another transactional test has emptied the database, the
content types are recreated with new ids and reloading the serialized rows fails.
"""

from pathlib import Path

import pytest

from zhengtong.backup import crypto

BACKUP_DB = pytest.mark.django_db(transaction=True)


def _wagtail_roots() -> None:
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def data_dir(db, settings, tmp_path, monkeypatch) -> Path:
    """This test's own ZT_DATA_DIR (media, secrets, backups), apart from other test workers."""
    from zhengtong.audit.keys import audit_key

    _wagtail_roots()

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
