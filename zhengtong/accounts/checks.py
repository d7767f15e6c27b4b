"""Self-checks for ``./zt check`` (ids zhengtong.W1xx / E1xx)."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("zhengtong", deploy=True)
def check_accounts(app_configs=None, **kwargs):
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    from zhengtong.accounts.breakglass import has_active_grant

    problems = []
    if "Argon2" not in settings.PASSWORD_HASHERS[0]:
        problems.append(
            Error("新密码未使用 Argon2 哈希。", hint="PASSWORD_HASHERS 第一项应为 Argon2。", id="zhengtong.E100")
        )
    if settings.ZT_PASSWORD_MIN_LENGTH < 8 or settings.ZT_PASSWORD_MIN_CLASSES < 3:
        problems.append(
            Warning(
                "密码策略低于等级保护三级要求。",
                hint="ZT_PASSWORD_MIN_LENGTH≥8，ZT_PASSWORD_MIN_CLASSES≥3。",
                id="zhengtong.W101",
            )
        )
    if not settings.PRODUCTION:
        return problems
    try:
        superusers = [u for u in get_user_model().objects.filter(is_superuser=True) if not has_active_grant(u.pk)]
    except DatabaseError:  # database not migrated yet
        return problems
    if superusers:
        problems.append(
            Warning(
                "存在常设超级用户：{}。".format("、".join(u.username for u in superusers)),
                hint="生产环境只应通过 ./zt breakglass 临时授予超级用户；请由系统管理员取消这些账号的超级用户标志。",
                id="zhengtong.W102",
            )
        )
    return problems
