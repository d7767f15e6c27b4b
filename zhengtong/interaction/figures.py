"""Monthly figures of a mailbox (收到、答复、按时答复率、满意率) as plain values.

Every figure counts the letters *received* in the month (the month of the clock's day 0), so a month's
row does not change meaning as replies come in later:

- received: letters received in the month;
- replied: of those, the ones answered (a reply went out; 不予受理 / 转信访 closures are not replies);
- on time: of the replied, those answered on or before their due date (after a reopening, the new reply
  against the new due date);
- satisfaction: (满意 + 基本满意) over the rated (no rating yet is not counted either way).
Rates are whole-number percentages, ``None`` when nothing was there to count.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from zhengtong.casework.workflow import Rating


@dataclass
class MonthFigures:
    month: int  # 1–12; 0 for the year's total
    received: int = 0
    replied: int = 0
    on_time: int = 0
    rated: int = 0
    content: int = 0  # satisfied or basically satisfied

    @property
    def on_time_rate(self) -> int | None:
        return _percent(self.on_time, self.replied)

    @property
    def satisfaction_rate(self) -> int | None:
        return _percent(self.content, self.rated)

    def add(self, received_on: date, replied_on: date | None, due_on: date | None, rating: str) -> None:
        self.received += 1
        if replied_on is not None:
            self.replied += 1
            if due_on is None or replied_on <= due_on:
                self.on_time += 1
        if rating:
            self.rated += 1
            if rating in Rating.CONTENT:
                self.content += 1


@dataclass
class YearFigures:
    year: int
    months: list[MonthFigures] = field(default_factory=list)
    total: MonthFigures = field(default_factory=lambda: MonthFigures(0))


def _percent(part: int, whole: int) -> int | None:
    # Round half up (as people count by hand), not Python's round-half-to-even.
    return None if whole == 0 else (part * 200 + whole) // (whole * 2)


Row = tuple[date, date | None, date | None, str]  # received_on, replied_on, due_on, rating


def year_figures(rows: Iterable[Row], year: int) -> YearFigures:
    """The twelve months of ``year`` and the year's total from (received_on, replied_on, due_on, rating) rows."""
    figures = YearFigures(year, [MonthFigures(m) for m in range(1, 13)])
    for received_on, replied_on, due_on, rating in rows:
        if received_on is None or received_on.year != year:
            continue
        figures.months[received_on.month - 1].add(received_on, replied_on, due_on, rating)
        figures.total.add(received_on, replied_on, due_on, rating)
    return figures


def mailbox_figures(kind: str, organisation_id: int, year: int) -> YearFigures:
    """``year_figures`` of the letters a mailbox (channel and receiving organisation) received in ``year``."""
    from zhengtong.casework.models import Case
    from zhengtong.interaction.services import received_by

    cases = received_by(Case.objects.filter(received_on__year=year), kind, organisation_id)
    return year_figures(cases.values_list("received_on", "replied_on", "due_on", "rating"), year)


def mailbox_years(kind: str, organisation_id: int, today: date) -> list[int]:
    """Years with letters in this mailbox, and the current year, newest first (the year selector)."""
    from zhengtong.casework.models import Case
    from zhengtong.interaction.services import received_by

    cases = received_by(Case.objects.exclude(received_on=None), kind, organisation_id)
    years = {d.year for d in cases.dates("received_on", "year")} | {today.year}
    return sorted(years, reverse=True)
