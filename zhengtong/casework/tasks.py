"""Background jobs of the case kernel."""

from django_tasks import task


@task()
def refresh_case_deadlines() -> int:
    """Recompute open cases' due dates after the holiday schedule changed."""
    from zhengtong.casework.services import refresh_deadlines

    return refresh_deadlines()


@task()
def remind_and_escalate() -> dict:
    """催办 cases nearing their due date and 督办 overdue ones (casework.reminders); periodic, idempotent."""
    from zhengtong.casework.reminders import remind_and_escalate as run

    outcome = run()
    return {"reminded": outcome.reminded, "supervised": outcome.supervised}
