"""Periodic jobs enqueued by the worker process.

django_tasks has no scheduler of its own, so ``./zt worker`` runs a small
thread that enqueues each job listed in ``settings.ZT_PERIODIC_TASKS`` every
``ZT_SCHEDULER_INTERVAL`` seconds. Jobs must be idempotent: with several
workers a job can be enqueued more than once per interval.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


# Periodic jobs are small and time-bound (scheduled publishing, the heartbeat): where the queue
# supports priorities they go ahead of bulk backlogs such as search indexing after an import,
# so a busy worker does not look dead and timed items go live on time.
PERIODIC_PRIORITY = 50


def enqueue_periodic_tasks() -> int:
    """Enqueue every periodic job once; return how many were enqueued."""
    count = 0
    for path in settings.ZT_PERIODIC_TASKS:
        try:
            task = import_string(path)
            if task.get_backend().supports_priority:
                task = task.using(priority=PERIODIC_PRIORITY)
            task.enqueue()
            count += 1
        except Exception:
            logger.exception("could not enqueue periodic task %s", path)
    close_old_connections()
    return count


class Scheduler(threading.Thread):
    def __init__(self, interval: float):
        super().__init__(name="zt-scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            enqueue_periodic_tasks()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
