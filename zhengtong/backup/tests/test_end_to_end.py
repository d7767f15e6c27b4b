"""The issue's "done when": create data, back up, wipe the data directory, restore, find everything back.

Runs on the lane's engine: on PostgreSQL the restore goes into a new database, dropped at the end.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from wagtail.models import Page

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.backup import archive, database, services
from zhengtong.backup.tests.conftest import BACKUP_DB
from zhengtong.backup.tests.helpers import DOCUMENT_BYTES, png_bytes, upload_files

ROOT = Path(__file__).resolve().parents[3]

# Runs inside the restored installation (its own ZT_DATA_DIR and database), as the site would.
CHECK = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page
from zhengtong.audit.models import AuditRecord
from zhengtong.audit.verify import verify_chain

call_command("audit_verify")  # what ./zt audit verify runs; raises on a broken chain
call_command("zt_restore", "backup.tar.gz", "--finish")  # the last step of ./zt restore
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # no collectstatic here
with override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                                 "staticfiles": static}):
    client = Client(HTTP_HOST="portal.test")
    home = client.get("/")
    document = Document.objects.get()
    served = client.get(document.url)
    body = b"".join(served.streaming_content) if served.streaming else served.content
print("RESULT" + json.dumps({
    "pages": Page.objects.count(),
    "documents": Document.objects.count(),
    "images": Image.objects.count(),
    "audit": AuditRecord.objects.filter(action="test.event").count(),
    "restore_recorded": AuditRecord.objects.filter(action="backup.restore", result="success").exists(),
    "chain": verify_chain().intact,
    "home": home.status_code,
    "home_has_title": "木垒县人民政府网" in home.content.decode(),
    "document": served.status_code,
    "document_bytes": body.hex(),
    "image_bytes": open(Image.objects.get().file.path, "rb").read().hex(),
}))
"""


def _database_url(settings_dict: dict) -> str:
    auth = quote(settings_dict.get("USER") or "postgres")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"])
    host = settings_dict.get("HOST") or "127.0.0.1"
    return f"postgres://{auth}@{host}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


@BACKUP_DB
def test_back_up_wipe_restore_and_find_everything_back(data_dir, portal):
    upload_files()
    for i in range(5):
        record("test.event", detail={"n": i, "text": "备份前的审计记录"})
    expected_pages = Page.objects.count()

    result, _created = services.make_backup()
    # The operator keeps the passphrase off the server (on paper): the wipe below takes the server's copy.
    passphrase = (data_dir / "secrets" / "backup_passphrase").read_text().strip()
    kept = data_dir.parent / "offsite"
    kept.mkdir()
    copy = kept / "backup.tar.gz"
    shutil.copy(result.path, copy)
    shutil.copy(archive.checksum_path(result.path), kept / "backup.tar.gz.sha256")

    shutil.rmtree(data_dir)  # the server is lost

    pg_settings = None
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "ZT_ENV")}
    if connection.vendor == "postgresql":
        pg_settings = {**connection.settings_dict, "NAME": f"zt_restore_{secrets.token_hex(4)}"}
        env["DATABASE_URL"] = _database_url(pg_settings)
    try:
        restored = archive.restore_backup(copy, data_dir, passphrase, pg_settings=pg_settings)
        assert restored.warnings == []
        assert (data_dir / "secrets" / "audit_key").is_file()
        env.update(
            {"ZT_DATA_DIR": str(data_dir), "ZT_BACKUP_HOUR": "off", "DJANGO_SETTINGS_MODULE": "zhengtong.settings"}
        )
        completed = subprocess.run(
            [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
    finally:
        if pg_settings:
            database.pg_drop_database(database.pg_params(pg_settings))
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT"))
    found = json.loads(line[len("RESULT") :])
    assert found["pages"] == expected_pages
    assert (found["documents"], found["images"], found["audit"]) == (1, 1, 5)
    assert found["chain"] and found["restore_recorded"]
    assert found["home"] == 200 and found["home_has_title"]
    assert found["document"] == 200
    assert bytes.fromhex(found["document_bytes"]) == DOCUMENT_BYTES
    assert bytes.fromhex(found["image_bytes"]) == png_bytes()
    assert AuditRecord.objects.filter(action="backup.create").exists()
