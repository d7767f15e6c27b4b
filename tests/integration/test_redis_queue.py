"""With REDIS_URL set, cache, sessions and the task queue move to Redis."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ZT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

ENQUEUE = """
import django; django.setup()
from django.core.cache import cache
from zhengtong.core.tasks import heartbeat
cache.set("zt-redis-probe", "ok", 60)
print(heartbeat.enqueue("redis-worker").id)
"""

CHECK = """
import django, json; django.setup()
from django.core.cache import cache
from zhengtong.core.health import health
from zhengtong.core.models import WorkerHeartbeat
print(json.dumps({"workers": list(WorkerHeartbeat.objects.values_list("worker", flat=True)),
                  "probe": cache.get("zt-redis-probe"), "health": health()}))
"""


def run(args, env):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120)


def test_heartbeat_travels_through_the_redis_queue(tmp_path):
    import json

    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ZT_ENV")}
    env.update({"ZT_DATA_DIR": str(tmp_path), "REDIS_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "zhengtong.settings"})
    manage = [sys.executable, str(ROOT / "manage.py")]
    run([*manage, "migrate", "-v", "0"], env)
    run([sys.executable, "-c", ENQUEUE], env)
    assert redis.Redis.from_url(REDIS_URL).llen("rq:queue:default") == 1
    # --burst also enqueues the periodic jobs once, through the same Redis queue.
    run([*manage, "zt_worker", "--burst"], env)
    state = json.loads(run([sys.executable, "-c", CHECK], env).stdout.strip().splitlines()[-1])
    assert "redis-worker" in state["workers"] and len(state["workers"]) == 2  # ours and the periodic heartbeat
    assert state["probe"] == "ok"
    assert state["health"]["cache"] == {"ok": True, "backend": "RedisCache"}
    assert state["health"]["worker"]["ok"] is True
    redis.Redis.from_url(REDIS_URL).flushdb()
