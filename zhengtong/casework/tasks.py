"""Background jobs of the case kernel."""

from django_tasks import task


@task()
def refresh_case_deadlines() -> int:
    """Recompute open cases' due dates after the holiday schedule changed."""
    from zhengtong.casework.services import refresh_deadlines

    return refresh_deadlines()
