"""Cases near or past their deadline in ``./zt check`` (Django system checks tagged "zhengtong", ids 800-899)."""

from django.core.checks import Error, Warning, register
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _


@register("zhengtong", deploy=True)
def check_case_deadlines(app_configs=None, **kwargs):
    """政府网站与政务新媒体检查指标 (2019): a valid message unanswered for over 3 months is a veto item."""
    from zhengtong.casework.deadlines import veto_cutoff
    from zhengtong.casework.models import Case
    from zhengtong.casework.workflow import Status

    today = timezone.localdate()
    try:
        open_cases = Case.objects.filter(status__in=Status.OPEN, paused=False)
        veto = list(open_cases.filter(received_on__lt=veto_cutoff(today)).order_by("received_on")[:20])
        overdue = open_cases.filter(due_on__lt=today).count()
    except DatabaseError:
        return []  # not migrated yet
    messages = []
    if veto:
        codes = "、".join(case.display_code for case in veto)
        messages.append(
            Error(
                _("有 %(n)s 件收到超过 3 个月仍未答复（检查指标单项否决）：%(codes)s")
                % {"n": len(veto), "codes": codes},
                hint=_("在管理后台“督办”页逐件督办答复。"),
                id="zhengtong.E801",
            )
        )
    if overdue:
        messages.append(
            Warning(
                _("有 %(n)s 件办件已超过办理期限。") % {"n": overdue},
                hint=_("在管理后台“督办”页查看并催办。"),
                id="zhengtong.W802",
            )
        )
    return messages
