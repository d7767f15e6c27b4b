"""``./zt breakglass USERNAME --reason TEXT [--hours N]``: a temporary, audited superuser flag."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhengtong.accounts import breakglass
from zhengtong.accounts.models import BreakGlassGrant


class Command(BaseCommand):
    help = "应急：临时授予某账号超级用户权限（记入审计，到期自动收回）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=False, default="", help="原因（必填，记入审计）")
        parser.add_argument(
            "--hours", type=int, default=settings.ZT_BREAKGLASS_DEFAULT_HOURS, help="时长（小时，1–24）"
        )
        parser.add_argument("--revoke", action="store_true", help="立即收回该账号的应急权限")

    def handle(self, *args, username, reason, hours, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号 {username}。")
        if revoke:
            for entry in BreakGlassGrant.objects.filter(user=user, revoked_at__isnull=True):
                breakglass.revoke(entry, "revoked")
            self.stdout.write(f"已收回 {username} 的应急超级用户权限。")
            return
        if not reason.strip():
            raise CommandError("请用 --reason 说明原因（记入审计）。")
        if not 1 <= hours <= 24:
            raise CommandError("--hours 须在 1 到 24 之间。")
        entry = breakglass.grant(user, reason.strip(), hours)
        until = f"{timezone.localtime(entry.expires_at):%Y-%m-%d %H:%M}"
        self.stdout.write(f"{username} 已获得超级用户权限，至 {until} 自动收回。此操作已记入审计。")
