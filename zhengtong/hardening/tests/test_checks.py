"""Platform self-checks and ``./zt check``."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.hardening import checks


def ids(messages) -> set[str]:
    return {m.id for m in messages}


def test_secrets_permissions(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert ids(checks.check_secrets(None)) == {"zhengtong.E401"}  # missing
    secrets = tmp_path / "secrets"
    secrets.mkdir(mode=0o755)
    secrets.chmod(0o755)
    (secrets / "secret_key").write_text("x")
    (secrets / "secret_key").chmod(0o644)
    assert ids(checks.check_secrets(None)) == {"zhengtong.E401", "zhengtong.E402"}
    secrets.chmod(0o700)
    (secrets / "secret_key").chmod(0o600)
    assert ids(checks.check_secrets(None)) == {"zhengtong.I401"}


def test_production_settings(settings):
    settings.PRODUCTION = True
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = []
    settings.SECRET_KEY = "django-insecure-abc"
    assert ids(checks.check_production_settings(None)) == {"zhengtong.E403", "zhengtong.E404", "zhengtong.E405"}
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["www.example.gov.cn"]
    settings.SECRET_KEY = "k" * 10 + "ey-" * 20 + "0123456789"
    assert ids(checks.check_production_settings(None)) == {"zhengtong.I403"}
    settings.PRODUCTION = False
    assert "zhengtong.W403" in ids(checks.check_production_settings(None))


@pytest.mark.django_db
def test_audit_chain_check_names_a_changed_record(settings):
    assert ids(checks.check_audit_chain(None)) == {"zhengtong.I407"}
    for i in range(3):
        record("test.event", detail={"n": i})
    assert ids(checks.check_audit_chain(None)) == {"zhengtong.I407"}
    middle = AuditRecord.objects.order_by("sequence")[1]
    with connection.cursor() as cursor:  # by hand, as someone with database access would
        statement = "UPDATE TABLE SET result = 'failure' WHERE id = %s"
        cursor.execute(statement.replace("TABLE", AuditRecord._meta.db_table), [middle.pk])
    [message] = checks.check_audit_chain(None)
    assert message.id == "zhengtong.E407" and "被修改" in message.msg
    settings.ZT_CHECK_AUDIT_LAST = 1  # bounded: only the newest record, which is intact
    assert ids(checks.check_audit_chain(None)) == {"zhengtong.I407"}


@pytest.mark.django_db
def test_command_lists_in_chinese_and_fails_on_errors(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # tests hash fast (conftest)
    out = StringIO()
    call_command("zt_check", stdout=out)  # development settings of the test run: warnings only
    text = out.getvalue()
    assert "【Django 部署检查】" in text and "[警告]" in text and "审计记录链完好" in text
    settings.PRODUCTION = True
    settings.ALLOWED_HOSTS = []
    with pytest.raises(SystemExit) as exit_:
        call_command("zt_check", stdout=(out := StringIO()), stderr=StringIO())
    assert exit_.value.code == 1
    assert "[错误] 没有设置网站的域名" in out.getvalue()


def test_zt_check_runs_as_production(tmp_path):
    """``./zt check`` checks the production settings (a child process: settings are read at start)."""
    env = {
        **os.environ,
        "ZT_DATA_DIR": str(tmp_path),
        "ZT_ALLOWED_HOSTS": "www.example.gov.cn",
        "DJANGO_SETTINGS_MODULE": "zhengtong.settings",
    }
    env.pop("ZT_ENV", None)
    env.pop("DATABASE_URL", None)
    code = "import sys; from zhengtong.cli import main; sys.exit(main(['check']))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "按正式模式（production）的设置检查" in done.stdout
    assert "security.W004" not in done.stdout  # HSTS is on in production
    env["ZT_ALLOWED_HOSTS"] = ""
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "zhengtong.E404" in done.stdout
