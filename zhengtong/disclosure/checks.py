"""Self-checks of the disclosure catalog for ``./zt check`` (Django system checks tagged "zhengtong")."""

from django.core.checks import Error, Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _


@register("zhengtong")
def check_index_format(app_configs=None, **kwargs):
    """ZT_DISCLOSURE_INDEX_FORMAT must give a number for every item, distinct per year and sequence."""
    from zhengtong.disclosure.numbering import format_index_number, index_format

    fmt = index_format()
    try:
        first = format_index_number("P", "01", 2026, 1, fmt)
        others = {format_index_number("P", "01", 2026, 2, fmt), format_index_number("P", "01", 2027, 1, fmt)}
    except (KeyError, ValueError, IndexError, AttributeError) as error:
        return [
            Error(
                _("索引号格式 ZT_DISCLOSURE_INDEX_FORMAT 无法使用：%(error)s") % {"error": error},
                hint=_(
                    "可用的字段：{prefix} {category} {year} {sequence}，如 {prefix}-{category}-{year}-{sequence:05d}。"
                ),
                id="zhengtong.E961",
            )
        ]
    if first in others:
        return [
            Error(
                _("索引号格式 ZT_DISCLOSURE_INDEX_FORMAT 必须包含 {year} 和 {sequence}，否则索引号会重复。"),
                id="zhengtong.E961",
            )
        ]
    return []


@register("zhengtong", deploy=True)
def check_disclosure_offices(app_configs=None, **kwargs):
    """Every organisation with a disclosure section needs its office entered: the guide (第12条) is built from it."""
    from zhengtong.disclosure.models import DisclosureOffice, DisclosureSectionPage

    try:
        with_office = set(DisclosureOffice.objects.values_list("organisation_id", flat=True))
        missing = [
            section.organisation.name
            for section in DisclosureSectionPage.objects.select_related("organisation")
            if section.organisation_id not in with_office
        ]
    except DatabaseError:
        return []
    if not missing:
        return []
    return [
        Warning(
            _("以下机构有信息公开专栏，但未填写信息公开工作机构，公开指南不完整：%(names)s")
            % {"names": "、".join(missing)},
            hint=_("在管理后台“信息公开 → 公开工作机构”填写。"),
            id="zhengtong.W962",
        )
    ]
