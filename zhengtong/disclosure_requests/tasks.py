"""Background jobs of 依申请公开."""

from django_tasks import task


@task()
def expire_corrections() -> int:
    """End applications not corrected in the time given (条例 第30条: 逾期不补正); periodic, idempotent."""
    from zhengtong.disclosure_requests.services import expire_corrections as run

    return run()
