"""Create the three administrators at set-up when no account holds an administrator role.

GB/T 22239-2019 8.1.4.2 访问控制 b) 应重命名或删除默认账户: there is no default account; set-up creates one
account per role (三员分立) with a random password shown once, to be changed at first login.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from zhengtong.accounts import passwords
from zhengtong.accounts.separation import sync_role_groups
from zhengtong.core import roles

FIRST_ADMINS = (
    ("sysadmin", roles.SYSTEM_ADMIN),
    ("secadmin", roles.SECURITY_ADMIN),
    ("auditadmin", roles.AUDIT_ADMIN),
)


def random_password() -> str:
    """Random, easy to copy, and passing the default policy (upper, lower, digit, symbol)."""
    while True:
        candidate = (
            secrets.token_urlsafe(12)
            + "-"
            + secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
            + secrets.choice("abcdefghijkmnpqrstuvwxyz")
            + str(secrets.randbelow(10))
        )
        if candidate[0].isalnum():
            return candidate


def administrators_exist() -> bool:
    return get_user_model().objects.filter(is_active=True, groups__name__in=roles.ADMINISTRATOR_ROLES).exists()


class Command(BaseCommand):
    help = "没有任何账号担任管理员角色时，为系统管理员、安全管理员、审计管理员各创建一个账号（随机密码只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不显示密码（测试用）")

    @transaction.atomic
    def handle(self, *args, quiet=False, **options):
        if administrators_exist():
            self.stdout.write("已有管理员账号，未创建新账号。")
            return
        sync_role_groups()
        User = get_user_model()
        created = []
        for username, role in FIRST_ADMINS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"账号 {username} 已存在，未改动；请由安全管理员为其分配角色。")
                continue
            password = random_password()
            user = User.objects.create_user(username=username, password=password, first_name=role)
            user.groups.add(Group.objects.get(name=role))
            passwords.require_change(user)
            created.append((username, role, password))
        if not created:
            return
        self.stdout.write(self.style.WARNING("已创建初始管理员账号。密码只显示这一次，请立即抄下并当面交给各管理员："))
        for username, role, password in created:
            self.stdout.write(f"  {role}\t{username}\t{'（已隐藏）' if quiet else password}")
        self.stdout.write("首次登录须修改密码。三个账号须由三名不同人员掌握（三员分立）。")
