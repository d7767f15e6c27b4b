"""Platform checks for ``./zt check``: a recent backup exists and the last verification passed."""

from datetime import timedelta

from django.core.checks import Error, Warning, register
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_AGE = timedelta(days=2)


@register("zhengtong", deploy=True)
def backup_checks(app_configs=None, **kwargs) -> list:
    from zhengtong.audit.models import AuditRecord
    from zhengtong.backup.services import newest_backup_time

    try:
        newest = newest_backup_time()
        last_verify = AuditRecord.objects.filter(action="backup.verify").order_by("-sequence").first()
        last_fail = AuditRecord.objects.filter(action="backup.fail").order_by("-sequence").first()
    except DatabaseError:
        return []  # no database yet: Django's own checks and migrate say so
    messages = []
    if newest is None:
        messages.append(
            Warning(
                _("还没有任何备份。"),
                hint=_("运行 ./zt backup，并确认后台任务（./zt worker）在运行，它每天自动备份。"),
                id="zhengtong.W500",
            )
        )
    elif timezone.now() - newest > MAX_AGE:
        messages.append(
            Warning(
                _("最新的备份是 %(time)s 做的，已超过 2 天。")
                % {"time": f"{timezone.localtime(newest):%Y-%m-%d %H:%M}"},
                hint=_("检查后台任务（./zt worker）是否在运行、日志中的备份错误，或手动运行 ./zt backup。"),
                id="zhengtong.W501",
            )
        )
    if last_fail is not None and (newest is None or last_fail.time > newest):
        messages.append(
            Warning(
                _("最近一次备份失败：%(error)s") % {"error": last_fail.detail.get("error", "")},
                hint=_("见日志 logs/zhengtong.log；排除原因后运行 ./zt backup。"),
                id="zhengtong.W503",
            )
        )
    if last_verify is not None and last_verify.result != AuditRecord.Result.SUCCESS:
        messages.append(
            Error(
                _("最近一次备份检验未通过（%(file)s）。") % {"file": last_verify.detail.get("file", "")},
                hint=_("用 ./zt backup --verify 检验另一份备份，并尽快做一份新的备份再检验。"),
                id="zhengtong.E502",
            )
        )
    return messages
