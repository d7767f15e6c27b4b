"""How a disclosure application ended: the rows of table 三 of the annual report, as stable codes.

The template is 国办公开办函〔2021〕30号 (DOMAIN.md §2); the legal basis of each outcome is the article of the
政府信息公开条例 (2019) the reply letter cites. A case of kind ``disclosure`` stores one of these codes in
``Case.outcome`` when it is replied to or closed; the annual report counts them, so codes never change meaning
(add new ones instead).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Outcome:
    code: str
    group: str  # the table row group: "一" … "六" of 三(三) 本年度办理结果
    group_label: str | Promise
    label: str | Promise  # the row's own words in the template ("" for a group without sub-rows)
    basis: str  # the article the reply letter cites


GROUPS = {
    "public": ("（一）", _("予以公开")),
    "partial": ("（二）", _("部分公开（区分处理的，只计这一情形，不计其他情形）")),
    "refuse": ("（三）", _("不予公开")),
    "unavailable": ("（四）", _("无法提供")),
    "not_processed": ("（五）", _("不予处理")),
    "other": ("（六）", _("其他处理")),
}


def _outcome(code: str, label: str | Promise, basis: str) -> Outcome:
    group = code.split(".")[0]
    return Outcome(code, group, GROUPS[group][1], label, basis)


# Row labels as the template words them; the basis is what the reply letter cites (政府信息公开条例 2019).
OUTCOMES = [
    _outcome("public", "", "第三十六条第（一）（二）项"),
    _outcome("partial", "", "第三十七条"),
    _outcome("refuse.secret", _("1.属于国家秘密"), "第十四条、第三十六条第（三）项"),
    _outcome("refuse.law", _("2.其他法律行政法规禁止公开"), "第十四条、第三十六条第（三）项"),
    _outcome("refuse.safety", _("3.危及“三安全一稳定”"), "第十四条、第三十六条第（三）项"),
    _outcome("refuse.third_party", _("4.保护第三方合法权益"), "第十五条、第三十六条第（三）项"),
    _outcome("refuse.internal", _("5.属于三类内部事务信息"), "第十六条第一款、第三十六条第（三）项"),
    _outcome("refuse.process", _("6.属于四类过程性信息"), "第十六条第二款、第三十六条第（三）项"),
    _outcome("refuse.enforcement", _("7.属于行政执法案卷"), "第十六条第二款、第三十六条第（三）项"),
    _outcome("refuse.query", _("8.属于行政查询事项"), "第三十六条第（三）项"),
    _outcome("unavailable.not_held", _("1.本机关不掌握相关政府信息"), "第三十六条第（四）（五）项"),
    _outcome("unavailable.needs_making", _("2.没有现成信息需要另行制作"), "第三十八条"),
    _outcome("unavailable.unclear", _("3.补正后申请内容仍不明确"), "第二十九条、第三十条"),
    _outcome("not_processed.petition", _("1.信访举报投诉类申请"), "第三十九条第一款"),
    _outcome("not_processed.repeat", _("2.重复申请"), "第三十六条第（六）项"),
    _outcome("not_processed.publication", _("3.要求提供公开出版物"), "第三十九条第二款"),
    _outcome("not_processed.excessive", _("4.无正当理由大量反复申请"), "第三十五条"),
    _outcome("not_processed.confirm", _("5.要求行政机关确认或重新出具已获取信息"), "第三十九条第二款"),
    _outcome(
        "other.no_correction",
        _("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        "第三十条",
    ),
    _outcome(
        "other.no_fee",
        _("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        "第四十二条",
    ),
    _outcome("other.other", _("3.其他"), ""),
]
BY_CODE = {outcome.code: outcome for outcome in OUTCOMES}

# An application withdrawn by the applicant ends as 其他处理·其他 in table 三 (the template has no row of its own).
WITHDRAWN = "other.other"


def get_outcome(code: str) -> Outcome:
    try:
        return BY_CODE[code]
    except KeyError:
        raise LookupError(f"unknown disclosure outcome {code!r}") from None


def choices() -> list[tuple[str, str]]:
    """(code, "（三）不予公开 · 1.属于国家秘密") for forms."""
    result = []
    for outcome in OUTCOMES:
        number, group_label = GROUPS[outcome.group]
        text = f"{number}{group_label}" + (f" · {outcome.label}" if outcome.label else "")
        result.append((outcome.code, text))
    return result
