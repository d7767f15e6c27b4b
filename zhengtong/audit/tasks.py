"""Background jobs of the audit app."""

import logging

from django_tasks import task

from zhengtong.audit.archive import ArchiveError, archive, archive_due
from zhengtong.audit.services import record

logger = logging.getLogger(__name__)


@task()
def archive_expired() -> int:
    """Monthly archiving of records past the retention period (the scheduler enqueues it every interval;
    it acts only when the last archiving is a month old and some record has expired). Returns how many."""
    if not archive_due():
        return 0
    try:
        return archive().count
    except ArchiveError as exc:
        logger.error("audit archiving refused: %s", exc)
        record("audit.archive", result="failure", detail={"error": str(exc)[:500], "scheduled": True})
        return 0
