"""Kinds of case the kernel serves, each with its categories and time limits.

A channel (mailbox, hotline, consultation; later disclosure applications and service applications)
registers its kind here; the kernel does the rest. Limits come from practice or law and differ from
county to county (DOMAIN.md §4), so each is a setting with the default shown.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CaseKind:
    code: str
    label: str | Promise
    categories: dict[str, str | Promise]
    # Working days by category, or by the complexity set at screening ("simple"/"complex"); 0 = same day.
    limits: dict[str, int]
    default_limit: str  # key into ``limits`` for a new case whose category has no limit of its own
    reopen_limit: int = 1
    review_reply: bool = True  # a reply is reviewed before it goes out
    warn_days: int = 2  # yellow when this many working days or fewer are left
    status_labels: dict[str, str | Promise] = field(default_factory=dict)
    event_labels: dict[str, str | Promise] = field(default_factory=dict)  # the channel's own words for events
    public_submission: bool = True  # the public may submit it (web, API); hotline orders are staff-recorded
    # Registered on the generic staff entry page (/admin/cases/new/); False when the kind has its own entry page
    # asking for fields of its own (disclosure applications: 第29条).
    generic_entry: bool = True
    # The outcomes a reply must name, as (code, label) pairs from a function (labels are translated late);
    # None = free replies. Disclosure applications name a row of the annual report's table 三.
    outcome_choices: Callable[[], list[tuple[str, str]]] | None = None
    withdrawn_outcome: str = ""  # the outcome a withdrawal records ("" = the event's own name)
    # Extensions: how many (None = no limit), how long at most, and who may approve them ("" = any handler).
    extension_limit: int | None = None
    extension_max_days: int | None = None
    extension_permission: str = ""
    hidden_events: frozenset[str] = frozenset()  # generic workspace actions this kind does not offer

    def limit_for(self, key: str) -> int:
        overrides = getattr(settings, "ZT_CASE_LIMITS", {}).get(self.code, {})
        limits = {**self.limits, **overrides}
        return limits.get(key, limits[self.default_limit])

    def outcome_codes(self) -> set[str]:
        return {code for code, _label in self.outcome_choices()} if self.outcome_choices else set()

    def status_label(self, status: str) -> str:
        from zhengtong.casework.workflow import Status

        return str(self.status_labels.get(status, Status.LABELS.get(status, status)))

    def event_label(self, event: str) -> str:
        from zhengtong.casework.workflow import Event

        return str(self.event_labels.get(event, Event.LABELS.get(event, event)))


_registry: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> CaseKind:
    _registry[kind.code] = kind
    return kind


def get_kind(code: str) -> CaseKind:
    try:
        return _registry[code]
    except KeyError:
        raise LookupError(f"unknown case kind {code!r}") from None


def all_kinds() -> list[CaseKind]:
    return list(_registry.values())


# DOMAIN.md §4: 县长信箱 — 咨询/投诉/建议/求助, reply within 5 wd (simple) or 15 wd (complex).
MAILBOX = register(
    CaseKind(
        code="mailbox",
        label=_("县长信箱"),
        categories={"consult": _("咨询"), "complaint": _("投诉"), "suggestion": _("建议"), "help": _("求助")},
        limits={"simple": 5, "complex": 15},
        default_limit="simple",
    )
)

# DOMAIN.md §4: 12345-style hotline — urgent same day, consultation 3 wd, complaint 13 wd.
HOTLINE = register(
    CaseKind(
        code="hotline",
        label=_("县长专线工单"),
        categories={
            "urgent": _("紧急"),
            "consult": _("咨询"),
            "complaint": _("投诉"),
            "suggestion": _("建议"),
            "help": _("求助"),
        },
        limits={"urgent": 0, "consult": 3, "complaint": 13, "suggestion": 13, "help": 13},
        default_limit="complaint",
        review_reply=False,
        warn_days=1,
        public_submission=False,
        status_labels={
            "received": _("已受理"),
            "accepted": _("已受理"),
            "assigned": _("已派单"),
            "replied": _("已答复"),
            "closed": _("已办结"),
        },
        event_labels={
            "received": _("受理"),
            "accepted": _("确认受理"),
            "assigned": _("派单"),
            "replied": _("答复"),
            "supervised": _("督办"),
            "closed": _("办结"),
            "called_back": _("回访"),
            "rated": _("评价"),
        },
    )
)

# 政务咨询: questions to a department; the county sets its own promise (default 5 wd).
CONSULTATION = register(
    CaseKind(
        code="consultation",
        label=_("政务咨询"),
        categories={"consult": _("咨询")},
        limits={"consult": 5},
        default_limit="consult",
    )
)
