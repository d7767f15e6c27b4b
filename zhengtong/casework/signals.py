"""Due dates on case rows follow the holiday schedule."""

from django.dispatch import receiver

from zhengtong.core.workdays import calendar_changed


@receiver(calendar_changed, dispatch_uid="zt_casework_calendar_changed")
def schedule_changed(sender, **kwargs) -> None:
    from zhengtong.casework.models import Case
    from zhengtong.casework.tasks import refresh_case_deadlines
    from zhengtong.casework.workflow import Status
    from zhengtong.core.tasks import enqueue_with_transaction

    # Only when there is something to move (not on a fresh install, whose migration seeds the calendar).
    if Case.objects.filter(status__in=Status.OPEN).exists():
        enqueue_with_transaction(refresh_case_deadlines)
