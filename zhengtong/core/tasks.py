"""Background jobs of the core app."""

import socket

from django.utils import timezone
from django_tasks import task

from zhengtong.core.models import WorkerHeartbeat


@task()
def heartbeat(worker: str = "") -> str:
    """Record that a worker is taking jobs off the queue.

    It runs *through* the queue, so a fresh heartbeat proves the whole path
    (enqueue → queue → worker) works, not just that a process is alive.
    """
    name = worker or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(worker=name, defaults={"seen_at": timezone.now()})
    return name


def enqueue_with_transaction(task, *args, **kwargs) -> None:
    """Enqueue ``task`` so the job exists exactly when the surrounding transaction commits.

    The database queue writes the job in the same transaction as the change, so
    a rollback drops both and a commit keeps both: no update is lost or run
    early. Queues outside the database (Redis) get the job after the commit,
    so a worker never reads the state from before the change.
    """
    from django.db import transaction
    from django_tasks_db import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
