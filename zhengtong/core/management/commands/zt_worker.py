from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from zhengtong.core.scheduler import Scheduler, enqueue_periodic_tasks


class Command(BaseCommand):
    help = "Run the background worker: periodic jobs plus the task queue (database or Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--no-scheduler", action="store_true", help="Only process the queue.")
        parser.add_argument(
            "--burst", action="store_true", help="Enqueue the periodic jobs once, run the queue until empty, then exit."
        )

    def handle(self, *args, **options):
        burst = options["burst"]
        scheduler = None
        if burst and not options["no_scheduler"]:
            enqueue_periodic_tasks()
        elif not options["no_scheduler"]:
            scheduler = Scheduler(settings.ZT_SCHEDULER_INTERVAL)
            scheduler.start()
        try:
            if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
                # django-tasks-rq stores task results on its own Job class; plain RQ jobs cannot run its tasks.
                call_command(
                    "rqworker",
                    *settings.TASKS["default"]["QUEUES"],
                    job_class="django_tasks_rq.Job",
                    burst=burst,
                    verbosity=options["verbosity"],
                )
            else:
                # The queue workers log each job at verbosity 1 (two lines a job); -v 0 keeps only their fatal errors.
                call_command(
                    "db_worker", interval=1.0, startup_delay=False, batch=burst, verbosity=options["verbosity"]
                )
        finally:
            if scheduler:
                scheduler.stop()
