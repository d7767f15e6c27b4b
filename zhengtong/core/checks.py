"""Platform self-checks of the core app for ``./zt check`` (Django system checks tagged "zhengtong")."""

from django.core.checks import Error, Warning, register
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _


@register("zhengtong", deploy=True)
def check_holiday_schedule(app_configs=None, **kwargs):
    """Deadlines reaching a year without its holiday schedule are provisional (DOMAIN.md §1)."""
    from zhengtong.core.holidays import missing_years

    try:
        missing = missing_years()
    except DatabaseError:
        return []  # not migrated yet: Django's own checks and ./zt upgrade deal with that
    messages = []
    this_year = timezone.localdate().year
    for year in missing:
        text = _("%(year)s 年的节假日安排尚未录入，落在该年的期限都是暂定的。") % {"year": year}
        hint = _("在管理后台“设置 → 年度节假日安排”录入，或运行 ./zt calendar import-year %(year)s 文件。") % {
            "year": year
        }
        if year == this_year:
            messages.append(Error(text, hint=hint, id="zhengtong.E701"))
        else:
            messages.append(Warning(text, hint=hint, id="zhengtong.W702"))
    return messages


@register("zhengtong", deploy=True)
def check_pdf_fonts(app_configs=None, **kwargs):
    """Reply letters and annual reports are PDFs with Chinese text: a font must be there before they are needed."""
    from zhengtong.core.pdf import MissingFont, font_files

    try:
        font_files()
    except MissingFont as error:
        return [Warning(str(error), id="zhengtong.W710")]
    return []
