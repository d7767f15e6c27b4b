from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from zhengtong.core.scheduler import Scheduler


class Command(BaseCommand):
    help = "Run the background worker: periodic jobs plus the task queue."

    def add_arguments(self, parser):
        parser.add_argument("--no-scheduler", action="store_true", help="Only process the queue.")

    def handle(self, *args, **options):
        scheduler = None
        if not options["no_scheduler"]:
            scheduler = Scheduler(settings.ZT_SCHEDULER_INTERVAL)
            scheduler.start()
        backend = settings.TASKS["default"]["BACKEND"]
        try:
            if backend.startswith("django_tasks_rq"):
                call_command("rqworker", "default", with_scheduler=False)
            else:
                call_command("db_worker", interval=1.0, startup_delay=False)
        finally:
            if scheduler:
                scheduler.stop()
