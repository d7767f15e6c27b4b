"""The proactive-disclosure clock: 政府信息公开条例 第26条 — disclose within 20 working days of the information
being created or changed.

The clock starts on the item's 信息形成或变更日期 (else its 成文日期) and is counted by the platform's one
working-day clock (``zhengtong.core.workdays``); a due date reaching a year whose holiday schedule is not entered
is provisional. The publication day is the day the platform first published the item (recorded by the system,
not typed in); for a change entered after the first publication, the day the changed item was published. Marks
are the casework lists' marks (``zhengtong.casework.deadlines.mark``): due soon, overdue, on time, late.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from zhengtong.casework import deadlines
from zhengtong.core.workdays import Deadline, add_workdays

PROACTIVE_DAYS = 20  # 政府信息公开条例 第26条


def warn_days() -> int:
    """Working days before the due date from which an unpublished item is marked "due soon"."""
    return getattr(settings, "ZT_DISCLOSURE_WARN_DAYS", 5)


def proactive_due(start: date) -> Deadline:
    """The last day to disclose information created or changed on ``start`` (第26条)."""
    return add_workdays(start, PROACTIVE_DAYS)


def publication_day(start: date, first_published: date | None, last_published: date | None) -> date | None:
    """The day the information that started the clock on ``start`` was published, or None when not yet."""
    if first_published is None:
        return None
    if first_published >= start:
        return first_published
    # Published before the clock started: a change, disclosed when a later publication carried it.
    if last_published is not None and last_published >= start:
        return last_published
    return None


@dataclass(frozen=True)
class ClockRow:
    """One item on the 主动公开时限 list."""

    item: object
    start: date
    due: Deadline
    published: date | None
    mark: str

    @property
    def label(self):
        return deadlines.LABELS[self.mark]


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def clock_row(item, today: date) -> ClockRow:
    start = item.clock_start
    due = proactive_due(start)
    published = publication_day(start, _day(item.first_published_at), _day(item.last_published_at))
    # An item unpublished later still counts as disclosed on the day it was published: that is what 第26条 asks.
    mark = deadlines.mark(due.date, published, False, today, warn_days())
    return ClockRow(item=item, start=start, due=due, published=published, mark=mark)


def items_of(organisations, year: int | None = None):
    """Disclosure items of ``organisations`` whose clock concerns ``year``: unpublished ones, or published that year."""
    from django.db.models import Q

    from zhengtong.disclosure.models import DisclosureItemPage

    items = DisclosureItemPage.objects.filter(organisation__in=organisations).select_related("organisation", "category")
    if year is not None:
        begin = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
        end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
        items = items.filter(
            Q(first_published_at__isnull=True)
            | Q(first_published_at__gte=begin, first_published_at__lt=end)
            | Q(last_published_at__gte=begin, last_published_at__lt=end)
        )
    return items


STATUS_FILTERS = {
    "attention": (deadlines.SOON, deadlines.OVERDUE),  # what the office must act on now
    deadlines.SOON: (deadlines.SOON,),
    deadlines.OVERDUE: (deadlines.OVERDUE,),
    deadlines.LATE: (deadlines.LATE,),
    "pending": (deadlines.NORMAL, deadlines.SOON, deadlines.OVERDUE),
    "all": None,
}


def clock_rows(organisations, today: date, status: str = "attention", year: int | None = None) -> list[ClockRow]:
    """Rows for the list, most urgent first: overdue, due soon, then by due date."""
    wanted = STATUS_FILTERS.get(status, STATUS_FILTERS["attention"])
    rows = [clock_row(item, today) for item in items_of(organisations, year)]
    if wanted is not None:
        rows = [row for row in rows if row.mark in wanted]
    order = {deadlines.OVERDUE: 0, deadlines.SOON: 1, deadlines.NORMAL: 2, deadlines.LATE: 3, deadlines.ON_TIME: 4}
    return sorted(rows, key=lambda row: (order.get(row.mark, 5), row.due.date, row.item.pk))


@dataclass(frozen=True)
class ProactiveCounts:
    published: int  # items first published in the year
    published_late: int  # of those, published after the 第26条 due date
    repealed: int  # items declared repealed (废止) in the year
    provisional: bool  # some due date rests on a year whose holiday schedule is not entered


def proactive_counts(organisation, year: int) -> ProactiveCounts:
    """An organisation's proactive-disclosure figures of ``year`` (for the annual report)."""
    from zhengtong.disclosure.models import DisclosureItemPage

    published = late = 0
    provisional = False
    today = timezone.localdate()
    for item in items_of([organisation], year).exclude(first_published_at__isnull=True):
        if _day(item.first_published_at).year != year:
            continue
        row = clock_row(item, today)
        published += 1
        late += row.mark == deadlines.LATE
        provisional = provisional or row.due.provisional
    repealed = DisclosureItemPage.objects.filter(
        organisation=organisation, validity=DisclosureItemPage.Validity.REPEALED, validity_changed_on__year=year
    ).count()
    return ProactiveCounts(published=published, published_late=late, repealed=repealed, provisional=provisional)
