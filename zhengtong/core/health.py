"""State of the services the platform needs, for /healthz."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from zhengtong.core.models import WorkerHeartbeat


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; say which
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_cache() -> dict:
    key = f"zt-health-{uuid.uuid4().hex}"
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        return {"ok": False, "backend": backend, "error": exc.__class__.__name__}
    return {"ok": ok, "backend": backend}


def check_worker() -> dict:
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    if last is None:
        return {"ok": False, "last_seen": None, "error": "never-seen"}
    age = timezone.now() - last
    return {
        "ok": age <= timedelta(seconds=settings.ZT_WORKER_STALE_AFTER),
        "last_seen": last.isoformat(),
        "age_seconds": int(age.total_seconds()),
    }


def health() -> dict:
    checks = {"database": check_database(), "cache": check_cache(), "worker": check_worker()}
    return {"ok": all(c["ok"] for c in checks.values()), **checks}
