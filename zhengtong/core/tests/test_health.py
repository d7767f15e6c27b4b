from datetime import timedelta

import pytest
from django.utils import timezone

from zhengtong.core.models import WorkerHeartbeat
from zhengtong.core.scheduler import enqueue_periodic_tasks
from zhengtong.core.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_service_and_fails_without_a_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    state = response.json()
    assert state["database"]["ok"] is True
    assert state["cache"]["ok"] is True
    assert state["worker"] == {"ok": False, "last_seen": None, "error": "never-seen"}
    assert state["ok"] is False


def test_heartbeat_through_the_queue_makes_healthz_green(client, run_worker):
    heartbeat.enqueue()
    assert not WorkerHeartbeat.objects.exists()  # queued, not yet run
    run_worker()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"]["ok"] is True


def test_stale_heartbeat_is_reported(client, settings):
    WorkerHeartbeat.objects.create(worker="w1", seen_at=timezone.now() - timedelta(seconds=600))
    settings.ZT_WORKER_STALE_AFTER = 180
    state = client.get("/healthz").json()
    assert state["worker"]["ok"] is False
    assert state["worker"]["age_seconds"] >= 600


def test_scheduler_enqueues_every_periodic_task(settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr("zhengtong.core.scheduler.close_old_connections", lambda: None)

    count = enqueue_periodic_tasks()
    assert count == len(settings.ZT_PERIODIC_TASKS)
    names = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert names == set(settings.ZT_PERIODIC_TASKS)


def test_worker_burst_runs_every_periodic_job_through_the_queue(client, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("zhengtong.core.scheduler.close_old_connections", lambda: None)
    call_command("zt_worker", burst=True)
    assert WorkerHeartbeat.objects.exists()
    assert client.get("/healthz").status_code == 200


def test_periodic_jobs_run_ahead_of_a_backlog(monkeypatch):
    from django_tasks_db.models import DBTaskResult
    from wagtail.tasks import update_reference_index_task

    monkeypatch.setattr("zhengtong.core.scheduler.close_old_connections", lambda: None)
    for _ in range(3):
        update_reference_index_task.enqueue("wagtailcore", "page", 1)
    enqueue_periodic_tasks()
    ready = list(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert set(ready[:2]) == {"zhengtong.core.tasks.heartbeat", "zhengtong.portal.tasks.publish_scheduled"}
