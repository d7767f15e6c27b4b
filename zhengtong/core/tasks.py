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
