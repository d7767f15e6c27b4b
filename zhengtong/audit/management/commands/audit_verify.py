"""``./zt audit verify``: walk the audit chain and name the first record changed, deleted or inserted.

``--archive FILE`` checks an archive file written by ``./zt audit archive`` instead.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengtong.audit.archive import verify_archive
from zhengtong.audit.verify import verify_chain


class Command(BaseCommand):
    help = "校验审计记录链：重新计算每条记录的 HMAC-SM3，报告第一条被修改、删除或插入的记录"

    def add_arguments(self, parser):
        parser.add_argument("--last", type=int, default=None, help="只校验最新的 N 条记录")
        parser.add_argument(
            "--archive", metavar="FILE", default=None, help="校验一个审计归档文件（签名、每条记录、链接）"
        )

    def handle(self, *args, last=None, archive=None, **options):
        if archive:
            checked = verify_archive(Path(archive))
            if not checked.intact:
                raise CommandError(f"审计归档文件被破坏：{checked.message}")
            self.stdout.write(checked.message)
            return
        status = verify_chain(last=last)
        if not status.intact:
            # Non-zero exit: the scheduler, ./zt check and monitoring treat a broken chain as a failure.
            raise CommandError(f"审计记录链被破坏：{status.message}（已核对 {status.checked} 条）")
        self.stdout.write(status.message)
