"""``./zt audit archive [--before DATE]``: records past the retention period to a signed file, then removed."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhengtong.audit.archive import ArchiveError, archive
from zhengtong.audit.services import record


def local_day_start(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 2026-01-31 这样的年-月-日：{value}") from exc
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class Command(BaseCommand):
    help = "把保存期（ZT_AUDIT_RETENTION_DAYS，至少 180 天）以前的审计记录写入签名的归档文件，校验后从数据库删除"

    def add_arguments(self, parser):
        parser.add_argument(
            "--before", metavar="DATE", default=None, help="只归档这一天（年-月-日）之前的记录；默认为保存期的起点"
        )

    def handle(self, *args, before=None, **options):
        cutoff = local_day_start(before) if before else None
        try:
            result = archive(cutoff)
        except ArchiveError as exc:
            # A refused or failed archiving is itself an audit event (who tried, why it stopped).
            record("audit.archive", result="failure", detail={"error": str(exc)[:500], "before": before or ""})
            raise CommandError(str(exc)) from exc
        for message in result.messages:
            self.stdout.write(message)
