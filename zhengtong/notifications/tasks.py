"""Background jobs of the notification path."""

from django_tasks import task


@task()
def send_message(message_id: int) -> str:
    """Send one queued message; retried by ``services.deliver`` itself (bounded), so the job never raises."""
    from zhengtong.notifications.services import deliver

    return deliver(message_id)


@task()
def send_pending() -> int:
    """Periodic: enqueue again messages left queued for over an hour (the queue was down when they were made)."""
    from zhengtong.notifications.services import send_pending as run

    return run()
