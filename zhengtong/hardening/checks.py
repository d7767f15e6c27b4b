"""Platform self-checks run by ``./zt check`` (and ``manage.py check --deploy``).

Every app adds its own checks the same way: a function in ``<app>/checks.py`` registered with
``@register("zhengtong", deploy=True)`` (imported in its AppConfig.ready), returning Django check messages
whose ids come from the app's range — accounts 100–199, twofactor 200–299, privacy 300–399, hardening
400–499, backup 500–599, seclane/audit 600–699 (``zt_check.SECTIONS`` names them in the report). Messages
are in Chinese and say what to do in ``hint``. Checks planned by other parts: backups recent
(backup, 5xx), the working-day calendar holds next year's holidays (calendar, when it exists).

Deploy-only checks run only with ``--deploy``, so the database queries below never slow ``migrate`` or
``runserver`` down.
"""

import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Info, Warning, register
from django.db import DatabaseError

INSECURE_KEY_PREFIX = "django-insecure"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@register("zhengtong", deploy=True)
def check_secrets(app_configs, **kwargs) -> list:
    """The secrets directory is 700 and every file in it 600 (GB/T 22239-2019 8.1.4.8 数据保密性)."""
    secrets_dir = Path(settings.DATA_DIR) / "secrets"
    if not secrets_dir.is_dir():
        return [Error(f"密钥目录 {secrets_dir} 不存在。", hint="运行一次 ./zt upgrade 会创建它。", id="zhengtong.E401")]
    messages = []
    if _mode(secrets_dir) & 0o077:
        messages.append(
            Error(
                f"密钥目录 {secrets_dir} 的权限是 {_mode(secrets_dir):03o}，其他用户可以访问。",
                hint=f"chmod 700 {secrets_dir}",
                id="zhengtong.E401",
            )
        )
    for path in sorted(secrets_dir.rglob("*")):
        if path.is_file() and _mode(path) & 0o077:
            messages.append(
                Error(
                    f"密钥文件 {path} 的权限是 {_mode(path):03o}，其他用户可以读取。",
                    hint=f"chmod 600 {path}",
                    id="zhengtong.E402",
                )
            )
    return messages or [Info("密钥目录和密钥文件的权限正确（700/600）。", id="zhengtong.I401")]


@register("zhengtong", deploy=True)
def check_production_settings(app_configs, **kwargs) -> list:
    """DEBUG off, host names set, a real SECRET_KEY, and production mode itself."""
    messages = []
    if not settings.PRODUCTION:
        messages.append(
            Warning(
                "未以正式模式运行（ZT_ENV 不是 production）：HTTPS、安全 Cookie、HSTS 都没有打开。",
                hint="正式上线的服务器在环境变量文件中设置 ZT_ENV=production（运维手册 1.4）。",
                id="zhengtong.W403",
            )
        )
    if settings.PRODUCTION and settings.DEBUG:
        messages.append(
            Error("正式模式下打开了调试模式（DEBUG）。", hint="去掉环境变量 ZT_DEBUG。", id="zhengtong.E403")
        )
    if settings.PRODUCTION and (not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS):
        messages.append(
            Error(
                "没有设置网站的域名（ZT_ALLOWED_HOSTS），所有请求都会被拒绝。"
                if not settings.ALLOWED_HOSTS
                else "ZT_ALLOWED_HOSTS 允许任何域名。",
                hint="在环境变量文件中设置 ZT_ALLOWED_HOSTS=www.example.gov.cn（逗号分隔多个）。",
                id="zhengtong.E404",
            )
        )
    key = settings.SECRET_KEY or ""
    if key.startswith(INSECURE_KEY_PREFIX) or len(key) < 50 or len(set(key)) < 5:
        messages.append(
            Error(
                "SECRET_KEY 太短、是示例值或过于简单。",
                hint="删除 ZT_SECRET_KEY 环境变量，让程序在密钥目录中生成随机密钥（所有会话会失效）。",
                id="zhengtong.E405",
            )
        )
    script = settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {}).get("script-src", [])
    if "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        messages.append(
            Warning(
                "公共网站的内容安全策略允许内联或动态脚本。",
                hint="恢复 settings.py 中 CONTENT_SECURITY_POLICY 的 script-src 为 'self'。",
                id="zhengtong.W406",
            )
        )
    return messages or [Info("正式模式、调试关闭、域名、SECRET_KEY、内容安全策略均正确。", id="zhengtong.I403")]


@register("zhengtong", deploy=True)
def check_audit_chain(app_configs, **kwargs) -> list:
    """The audit chain is intact: the newest ZT_CHECK_AUDIT_LAST records (all of them when fewer)."""
    from zhengtong.audit.keys import key_path
    from zhengtong.audit.models import AuditRecord
    from zhengtong.audit.verify import verify_chain

    try:
        has_records = AuditRecord.objects.exists()
        if has_records and not key_path().exists():
            return [
                Error(
                    f"审计记录存在，但审计密钥文件 {key_path()} 不见了：无法校验记录链。",
                    hint="从备份中恢复密钥目录（运维手册第 10 节）。",
                    id="zhengtong.E407",
                )
            ]
        status = verify_chain(last=settings.ZT_CHECK_AUDIT_LAST)
    except DatabaseError as error:
        return [
            Warning(
                f"无法读取审计记录（{error.__class__.__name__}）。",
                hint="数据库尚未建立时先运行 ./zt upgrade。",
                id="zhengtong.W407",
            )
        ]
    if not status.intact:
        return [
            Error(f"审计记录链被破坏：{status.message}", hint="运行 ./zt audit verify 查看详情。", id="zhengtong.E407")
        ]
    return [Info(f"审计记录链完好（核对了 {status.checked} 条）。", id="zhengtong.I407")]
