"""Annual reports past their statutory deadline in ``./zt check`` (ids 850–899 of the 800 block)."""

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _


@register("zhengtong", deploy=True)
def check_report_deadlines(app_configs=None, **kwargs):
    """政府信息公开条例 第四十九条、第五十条: last year's report public by 31 January (departments) / 31 March
    (the county government)."""
    from zhengtong.disclosure_report.services import reminders

    try:
        overdue = [r for r in reminders(timezone.localdate()) if r.overdue]
    except DatabaseError:
        return []  # not migrated yet
    if not overdue:
        return []
    names = "、".join(f"{r.organisation.name}（{r.deadline:%Y-%m-%d}）" for r in overdue[:20])
    more = _("等 %(n)s 个机关") % {"n": len(overdue)} if len(overdue) > 20 else ""
    return [
        Warning(
            _("%(year)s 年度政府信息公开工作年度报告已过发布期限仍未发布：%(names)s%(more)s")
            % {"year": overdue[0].year, "names": names, "more": more},
            hint=_("在管理后台“信息公开 → 年度报告”核对表三后发布（政府信息公开条例第四十九条、第五十条）。"),
            id="zhengtong.W850",
        )
    ]
