"""Entering the official holiday schedule: seeding from ``chinesecalendar`` and importing a year's file.

The State Council publishes the next year's holidays and make-up working days around November
(DOMAIN.md §1). ``chinesecalendar`` knows the years up to its release; later years are entered in the
admin or loaded with ``./zt calendar import-year YEAR FILE`` from a text file like::

    # 2027 年部分节假日安排（国务院办公厅通知）
    2027-01-01 休 元旦
    2027-02-06..2027-02-12 休 春节
    2027-02-14 班 春节调休

Each line: a date or ``first..last`` range, ``休`` (holiday; also ``holiday``) or ``班`` (make-up
working day; also ``workday``), and an optional name. A year is replaced as a whole.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.models import CalendarDay, CalendarYear
from zhengtong.core.workdays import schedule_changed

KINDS = {
    "休": CalendarDay.Kind.HOLIDAY,
    "holiday": CalendarDay.Kind.HOLIDAY,
    "班": CalendarDay.Kind.WORKDAY,
    "workday": CalendarDay.Kind.WORKDAY,
}

# chinesecalendar names holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class Entry:
    date: date
    kind: str
    name: str = ""


class ScheduleError(ValueError):
    """A schedule file that cannot be loaded; the message names the line and says what to fix."""


def _line_error(number: int, message: str) -> ScheduleError:
    return ScheduleError(_("第 %(n)s 行：") % {"n": number} + message)


def parse_schedule(text: str, year: int) -> list[Entry]:
    """Read a schedule file (format in the module docstring) for ``year``; raise ScheduleError on any bad line."""
    entries: dict[date, Entry] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split(None, 2)
        if len(fields) < 2:
            example = f"{year}-10-01 休 国庆节"
            raise _line_error(number, _("应为“日期 休/班 名称”，如“%(example)s”。") % {"example": example})
        span, kind_word = fields[0], fields[1]
        name = fields[2].strip() if len(fields) > 2 else ""
        kind = KINDS.get(kind_word.lower())
        if kind is None:
            raise _line_error(number, _("类别“%(kind)s”无效，应为“休”或“班”。") % {"kind": kind_word})
        try:
            first_text, _sep, last_text = span.partition("..")
            first = date.fromisoformat(first_text)
            last = date.fromisoformat(last_text) if last_text else first
        except ValueError:
            message = _("日期“%(span)s”无效，应写成 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD。") % {"span": span}
            raise _line_error(number, message) from None
        if last < first or (last - first).days > 31:
            raise _line_error(number, _("日期范围“%(span)s”无效。") % {"span": span})
        day = first
        while day <= last:
            if day.year != year:
                raise _line_error(number, _("%(day)s 不在 %(year)s 年内。") % {"day": day, "year": year})
            if day in entries:
                raise _line_error(number, _("%(day)s 重复出现。") % {"day": day})
            entries[day] = Entry(day, kind, name)
            day += timedelta(days=1)
    if not entries:
        raise ScheduleError(_("文件中没有任何日期。"))
    return sorted(entries.values(), key=lambda e: e.date)


@transaction.atomic
def replace_year(year: int, entries: list[Entry], *, source: str, notice: str = "") -> CalendarYear:
    """Store ``entries`` as the whole schedule of ``year`` (replacing what was there) and mark it entered."""
    # Queryset writes, not save(): the admin's per-save audit record (core.signals) is for edits by hand;
    # callers record one event for the whole import.
    fields = {"source": source, "notice": notice, "updated_at": timezone.now()}
    if not CalendarYear.objects.filter(year=year).update(**fields):
        CalendarYear.objects.bulk_create([CalendarYear(year=year, **fields)])
    calendar_year = CalendarYear.objects.get(year=year)
    calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar_year=calendar_year, date=e.date, kind=e.kind, name=e.name) for e in entries
    )
    schedule_changed()
    return calendar_year


def package_schedule() -> dict[int, list[Entry]]:
    """Every year ``chinesecalendar`` knows, as entries."""
    from chinese_calendar import constants

    years: dict[int, list[Entry]] = {}
    for table, kind, suffix in (
        (constants.holidays, CalendarDay.Kind.HOLIDAY, ""),
        (constants.workdays, CalendarDay.Kind.WORKDAY, "调休"),
    ):
        for day, english in table.items():
            name = HOLIDAY_NAMES.get(english, english) + suffix
            years.setdefault(day.year, []).append(Entry(day, kind, name))
    return {year: sorted(entries, key=lambda e: e.date) for year, entries in sorted(years.items())}


def seed_from_package() -> list[int]:
    """Add the years ``chinesecalendar`` knows that are not entered yet; never touch an entered year.

    Runs after every migration, so upgrading the package brings the years it learnt.
    """
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    added = []
    for year, entries in package_schedule().items():
        if year not in entered:
            replace_year(year, entries, source=CalendarYear.Source.PACKAGE)
            added.append(year)
    # Not audited: it runs inside every migration (installing, upgrading, tests), is no one's decision, and
    # only adds years nobody has entered; edits and imports are audited.
    return added


# From this month on the next year's schedule is expected (published around November, DOMAIN.md §1).
NEXT_YEAR_EXPECTED_MONTH = 11


def missing_years(today: date | None = None) -> list[int]:
    """Years whose schedule is needed now but not entered: this year, and from November the next one."""
    today = today or timezone.localdate()
    needed = [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_EXPECTED_MONTH else [])
    entered = set(CalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [year for year in needed if year not in entered]
