"""Self-checks for ``./zt check`` (ids zhengtong.E200-E299 / W200-W299)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

MIDDLEWARE_ORDER = (
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zhengtong.twofactor.middleware.TwoFactorMiddleware",
)


@register("zhengtong", deploy=True)
def check_middleware(app_configs=None, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    if not all(name in middleware for name in MIDDLEWARE_ORDER) or [
        middleware.index(name) for name in MIDDLEWARE_ORDER
    ] != sorted(middleware.index(name) for name in MIDDLEWARE_ORDER):
        return [
            Error(
                "双因素认证中间件缺失或顺序不对，管理后台可不经验证码进入。",
                hint="MIDDLEWARE 中应依次包含：" + " → ".join(MIDDLEWARE_ORDER),
                id="zhengtong.E200",
            )
        ]
    return []


@register("zhengtong", deploy=True)
def check_required_in_production(app_configs=None, **kwargs):
    # GB/T 22239-2019 8.1.4.1: administrators must use two factors; production never turns this off.
    if settings.PRODUCTION and not settings.ZT_2FA_REQUIRED:
        return [Error("生产环境关闭了双因素认证（ZT_2FA_REQUIRED）。", id="zhengtong.E201")]
    if not settings.ZT_2FA_REQUIRED:
        return [
            Warning(
                "双因素认证未强制（ZT_2FA_REQUIRED=0），仅可用于开发或测试环境。",
                hint="删除环境变量 ZT_2FA_REQUIRED 或设为 1。",
                id="zhengtong.W202",
            )
        ]
    return []
