"""``./zt audit verify``: walk the audit chain and name the first record changed, deleted or inserted."""

from django.core.management.base import BaseCommand, CommandError

from zhengtong.audit.verify import verify_chain


class Command(BaseCommand):
    help = "校验审计记录链：重新计算每条记录的 HMAC-SM3，报告第一条被修改、删除或插入的记录"

    def add_arguments(self, parser):
        parser.add_argument("--last", type=int, default=None, help="只校验最新的 N 条记录")

    def handle(self, *args, last=None, **options):
        status = verify_chain(last=last)
        if not status.intact:
            # Non-zero exit: the scheduler, ./zt check and monitoring treat a broken chain as a failure.
            raise CommandError(f"审计记录链被破坏：{status.message}（已核对 {status.checked} 条）")
        self.stdout.write(status.message)
