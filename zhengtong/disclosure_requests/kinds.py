"""Disclosure applications (依申请公开) as a kind of case on the casework kernel.

政府信息公开条例 第33条: reply on the spot or within 20 working days of receipt (第31条 receipt day is day 0);
one extension of at most 20 working days approved by the head of the disclosure office. The kernel's clock
events carry the rest: 补正 restarts the count (第30条), consultation pauses it (第32、34条).
"""

from django.utils.translation import gettext_lazy as _

from zhengtong.casework.kinds import CaseKind, register

REPLY_DAYS = 20  # 政府信息公开条例 第33条
EXTENSION_MAX_DAYS = 20  # 政府信息公开条例 第33条
CORRECTION_NOTICE_DAYS = 7  # 政府信息公开条例 第30条: the correction notice goes out within 7 wd
CONSULTATION_DAYS = 15  # 政府信息公开条例 第32条: a third party has 15 wd to give its opinion

DISCLOSURE = register(
    CaseKind(
        code="disclosure",
        label=_("政府信息公开申请"),
        categories={"apply": _("依申请公开")},
        limits={"apply": REPLY_DAYS},
        default_limit="apply",
        reopen_limit=0,  # a new application, not a reopening: remedies are review and litigation
        review_reply=True,
        warn_days=5,
        status_labels={
            "received": _("已登记"),
            "accepted": _("审核中"),
            "assigned": _("办理中"),
            "reviewing": _("答复待审"),
            "replied": _("已答复"),
            "closed": _("已归档"),
        },
    )
)
