"""Disclosure applications (依申请公开) as a kind of case on the casework kernel.

政府信息公开条例 第33条: reply on the spot or within 20 working days of receipt (第31条 receipt day is day 0);
one extension of at most 20 working days approved by the head of the disclosure office. The kernel's clock
events carry the rest: 补正 restarts the count (第30条), consultation pauses it (第32、34条).
"""

from django.utils.translation import gettext_lazy as _

from zhengtong.casework.kinds import CaseKind, register
from zhengtong.casework.workflow import Event
from zhengtong.disclosure_requests import outcomes

REPLY_DAYS = 20  # 政府信息公开条例 第33条
EXTENSION_MAX_DAYS = 20  # 政府信息公开条例 第33条
CORRECTION_NOTICE_DAYS = 7  # 政府信息公开条例 第30条: the correction notice goes out within 7 wd
CONSULTATION_DAYS = 15  # 政府信息公开条例 第32条: a third party has 15 wd to give its opinion
CORRECTION_DEFAULT_DAYS = 15  # the time given to correct; practice, not law: the office may set another
APPROVE_EXTENSION = "zt_disclosure_requests.approve_extension"

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
        outcome_choices=outcomes.choices,
        withdrawn_outcome=outcomes.WITHDRAWN,
        extension_limit=1,  # 政府信息公开条例 第33条: one extension
        extension_max_days=EXTENSION_MAX_DAYS,
        extension_permission=APPROVE_EXTENSION,  # approved by the head of the disclosure office
        # The reply limit is the law's, rejection is a reply with an outcome (table 三), and correction and
        # consultation pauses go through this app's actions (they keep the notice and the time given).
        hidden_events=frozenset(
            {
                Event.CLASSIFIED,
                Event.REJECTED,
                Event.ROUTED,
                Event.PAUSED,
                Event.RESUMED,
                Event.RATED,
                Event.CALLED_BACK,
            }
        ),
        # Applications come in through this app's form and API (they carry 第29条's fields), not the generic ones.
        public_submission=False,
        generic_entry=False,  # its own entry page asks for the 第29条 fields
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
