"""``./zt check``: Django's deployment checks plus the platform's own, as one Chinese list.

``./zt check`` runs this command with ``ZT_ENV=production`` (the server as it will run); the command itself
checks whatever settings it is started with. Exit status 1 when any error is found, else 0.
"""

import sys

from django.core.checks import registry, run_checks
from django.core.checks.messages import ERROR, INFO, WARNING
from django.core.management.base import BaseCommand

# Sections of the report by check id (COMMON.md: each part of the platform has a range of ids).
SECTIONS = [
    (100, 199, "账号与密码"),
    (200, 299, "双因素认证"),
    (300, 399, "个人信息保护"),
    (400, 499, "安全加固（密钥、调试、域名、审计链）"),
    (500, 599, "备份"),
    (600, 699, "审计与安全测试"),
    (700, 799, "工作日历"),
    (830, 839, "通知（邮件、短信）"),  # before 800-899: the first range that holds an id names its section
    (850, 899, "信息公开年度报告"),
    (800, 899, "办件期限"),
]
DJANGO_SECTION = "Django 部署检查"
OTHER_SECTION = "其他检查"

# Chinese wording of Django's deployment checks (django.core.checks.security) the operator is likely to see.
DJANGO_WORDING = {
    "security.W001": "没有启用 SecurityMiddleware。",
    "security.W002": "没有启用点击劫持防护（XFrameOptionsMiddleware）。",
    "security.W004": "没有设置 HSTS（SECURE_HSTS_SECONDS）：请以正式模式运行。",
    "security.W005": "HSTS 没有包含子域名。",
    "security.W006": "没有设置 X-Content-Type-Options: nosniff。",
    "security.W008": "没有把 HTTP 重定向到 HTTPS（见 ZT_SSL_REDIRECT）；由 nginx 重定向时可以忽略。",
    "security.W009": "SECRET_KEY 太短或过于简单。",
    "security.W012": "会话 Cookie 没有限定只走 HTTPS。",
    "security.W016": "CSRF Cookie 没有限定只走 HTTPS。",
    "security.W018": "打开了调试模式（DEBUG）。",
    "security.W019": "X-Frame-Options 不是 DENY。",
    "security.W020": "ALLOWED_HOSTS 为空：请设置 ZT_ALLOWED_HOSTS。",
    "security.W021": "HSTS 没有设置 preload（有意未设：加入浏览器预载列表后很难撤销，县里域名变更时会出问题）。",
    "security.W022": "没有设置 Referrer-Policy。",
    "security.E023": "Referrer-Policy 的值无效。",
    "security.E100": "DEFAULT_HASHING_ALGORITHM 无效。",
}
LEVELS = [(ERROR, "错误"), (WARNING, "警告"), (INFO, "正常")]


def section_of(check_id: str) -> str:
    if check_id.startswith("zhengtong."):
        digits = "".join(c for c in check_id.split(".", 1)[1] if c.isdigit())
        number = int(digits) if digits else -1
        for low, high, name in SECTIONS:
            if low <= number <= high:
                return name
        return OTHER_SECTION
    if check_id.startswith("security."):
        return DJANGO_SECTION
    return OTHER_SECTION


def level_name(level: int) -> str:
    for threshold, name in LEVELS:
        if level >= threshold:
            return name
    return "正常"


class Command(BaseCommand):
    help = "安全自检：Django 部署检查（check --deploy）加上平台自己的检查，中文列出结果，有错误时以非零状态退出"

    def handle(self, *args, **options):
        messages = [m for m in run_checks(include_deployment_checks=True, databases=None) if not m.is_silenced()]
        mode = "正式模式（production）" if _production() else "开发模式"
        self.stdout.write(f"政通安全自检（按{mode}的设置检查）\n")
        by_section: dict[str, list] = {}
        for m in messages:
            by_section.setdefault(section_of(m.id or ""), []).append(m)
        order = [DJANGO_SECTION] + [name for _low, _high, name in SECTIONS] + [OTHER_SECTION]
        for name in order:
            found = sorted(by_section.get(name, []), key=lambda m: -m.level)
            if name == DJANGO_SECTION and not found:
                self.stdout.write(f"【{name}】\n  [正常] 没有发现问题。")
                continue
            if not found:
                continue
            self.stdout.write(f"【{name}】")
            for m in found:
                text = DJANGO_WORDING.get(m.id, m.msg)
                line = f"  [{level_name(m.level)}] {text}"
                if m.id:
                    line += f"（{m.id}）"
                self.stdout.write(line)
                if m.hint and m.level >= WARNING:
                    self.stdout.write(f"         处理方法：{m.hint}")
        errors = sum(1 for m in messages if m.level >= ERROR)
        warnings = sum(1 for m in messages if WARNING <= m.level < ERROR)
        registered = len(registry.registry.get_checks(include_deployment_checks=True))
        self.stdout.write(f"\n共运行 {registered} 项检查：{errors} 个错误，{warnings} 个警告。")
        if errors:
            self.stderr.write("有错误，请按上面的处理方法修正后再运行 ./zt check。")
            sys.exit(1)


def _production() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "PRODUCTION", False))
