"""Configuration by environment: embedded default versus production."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "journal": settings.DATABASES["default"].get("OPTIONS", {}).get("init_command", ""),
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "media": str(settings.MEDIA_ROOT),
    "cache_location": str(settings.CACHES["default"].get("LOCATION", "")),
    "email": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", ""),
    "serve_media": settings.SERVE_MEDIA,
}))
"""


def probe(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "ZT_ENV", "ZT_DEBUG")}
    clean.update({"ZT_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "zhengtong.settings", **env})
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_wal_with_database_queue(tmp_path):
    state = probe(tmp_path)
    assert state["engine"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in state["journal"]
    assert state["tasks"] == "django_tasks_db.DatabaseBackend"
    assert state["debug"] is False
    assert state["media"] == str(tmp_path / "media")
    assert state["serve_media"] is True
    # One cache for every process of the server, inside the data directory.
    assert state["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert state["cache_location"] == str(tmp_path / "cache")
    # Without an SMTP server, notifications are kept as files rather than lost.
    assert state["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert (tmp_path / "secrets" / "secret_key").exists()


def test_production_turns_on_secure_settings(tmp_path):
    state = probe(tmp_path, ZT_ENV="production", ZT_ALLOWED_HOSTS="www.mlx.gov.cn, mlx.gov.cn", ZT_DEBUG="1")
    assert state["debug"] is False  # never in production, whatever ZT_DEBUG says
    assert state["hosts"] == ["www.mlx.gov.cn", "mlx.gov.cn"]
    assert state["secure_cookies"] is True
    assert state["hsts"] >= 31536000
    assert state["serve_media"] is False


def test_postgresql_and_redis_by_url(tmp_path):
    state = probe(tmp_path, DATABASE_URL="postgres://zt@db.internal:5432/zt", REDIS_URL="redis://127.0.0.1:6379/3")
    assert state["engine"] == "django.db.backends.postgresql"
    assert state["cache"] == "django_redis.cache.RedisCache"
    assert state["sessions"] == "django.contrib.sessions.backends.cache"
    assert state["tasks"] == "django_tasks_rq.RQBackend"


def test_smtp_server_by_environment(tmp_path):
    state = probe(tmp_path, ZT_EMAIL_HOST="smtp.mlx.gov.cn", ZT_EMAIL_PORT="465", ZT_EMAIL_SSL="1")
    assert state["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert state["email_host"] == "smtp.mlx.gov.cn"
