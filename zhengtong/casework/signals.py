"""The kernel's signal, and due dates on case rows following the holiday schedule."""

from django.dispatch import Signal, receiver

from zhengtong.core.workdays import calendar_changed

# Sent once the transaction that stored a timeline event has committed (never for a rolled-back one), with
# ``event`` (the CaseEvent, its ``case`` up to date). Receivers (notifications) must not raise: the case is
# already saved; ``services`` sends it robustly and logs what a receiver raised.
case_event_recorded = Signal()
# Sent inside the transaction that stores a timeline event (``services.record_event``), with ``event``: for
# records that belong with the event (the disclosure reply letter). A receiver that raises undoes the event.
case_event_stored = Signal()


@receiver(calendar_changed, dispatch_uid="zt_casework_calendar_changed")
def schedule_changed(sender, **kwargs) -> None:
    from zhengtong.casework.models import Case
    from zhengtong.casework.tasks import refresh_case_deadlines
    from zhengtong.casework.workflow import Status
    from zhengtong.core.tasks import enqueue_with_transaction

    # Only when there is something to move (not on a fresh install, whose migration seeds the calendar).
    if Case.objects.filter(status__in=Status.OPEN).exists():
        enqueue_with_transaction(refresh_case_deadlines)
