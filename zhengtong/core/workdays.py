"""The working-day clock: the one place every statutory or promised deadline is counted.

Rules (DOMAIN.md §1): the day of receipt is day 0 and only working days count forward; working days
are Monday to Friday, except public holidays, plus the make-up working days (调休) of the official
schedule, which the State Council publishes each year (stored in ``CalendarYear``/``CalendarDay``).
A count that reaches a year whose schedule has not been entered uses weekends alone and is
**provisional**: callers show it as such, and ``./zt check`` and the admin warn the operator.

Clocks pause (waiting for the applicant, third-party consultation), resume, restart (a corrected
application starts the count again) and extend (an approved extension); ``run_clock`` derives the
due date from those events, so a due date is never edited by hand.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

GENERATION_KEY = "zt:workdays:generation"

# Sent when the holiday schedule changed, so modules that keep due dates on their rows recompute them.
calendar_changed = Signal()

# Counting stops here: no deadline in the platform is longer than a few months, so a count that
# runs past this is a bug (a negative or absurd limit), not a deadline.
MAX_WORKDAYS = 1000


@dataclass(frozen=True)
class Schedule:
    """The entered schedule: holidays, make-up working days and the years that are complete."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def knows(self, day: date) -> bool:
        return day.year in self.years


_local = threading.local()


def _load() -> Schedule:
    from zhengtong.core.models import CalendarDay, CalendarYear

    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).add(day)
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return Schedule(frozenset(holidays), frozenset(workdays), years)


def schedule() -> Schedule:
    """The current schedule, loaded once per process and generation (a few hundred rows).

    Saving the calendar bumps the generation in the shared cache, so every process (web workers, the
    worker) reloads; the bump is repeated on commit so a reader that loaded between the save and the
    commit does not keep the old schedule.
    """
    generation = cache.get(GENERATION_KEY, 0)
    cached = getattr(_local, "cached", None)
    if cached is None or cached[0] != generation:
        cached = (generation, _load())
        _local.cached = cached
    return cached[1]


def schedule_changed() -> None:
    """Tell every process to reload the schedule (called when the calendar is saved)."""

    def bump() -> None:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 1, timeout=None)

    bump()
    transaction.on_commit(bump)
    forget_schedule()
    calendar_changed.send(sender=None)


def forget_schedule() -> None:
    """Drop this thread's copy (tests, whose rolled-back rows the generation cannot see)."""
    _local.cached = None


@dataclass(frozen=True)
class Deadline:
    """A date that ends a count, and whether it rests on a year without an entered schedule."""

    date: date
    provisional: bool = False

    def __str__(self) -> str:
        return f"{self.date.isoformat()} provisional" if self.provisional else self.date.isoformat()


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day (weekday rule where the year's schedule is not entered)."""
    return schedule().is_workday(day)


def add_workdays(start: date, days: int) -> Deadline:
    """The date ``days`` working days after ``start`` (day 0), e.g. a reply due date.

    ``days`` = 0 gives ``start`` itself. The result is provisional when any day counted lies in a
    year whose schedule has not been entered.
    """
    if not 0 <= days <= MAX_WORKDAYS:
        raise ValueError(f"working days must be between 0 and {MAX_WORKDAYS}, got {days}")
    current = schedule()
    day, counted = start, 0
    provisional = False
    while counted < days:
        day += timedelta(days=1)
        provisional = provisional or not current.knows(day)
        if current.is_workday(day):
            counted += 1
    return Deadline(day, provisional)


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]: how many have been used by ``end`` of a count that began at ``start``."""
    current = schedule()
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if current.is_workday(day):
            count += 1
    return count


# --- Clocks with pauses, restarts and extensions --------------------------------------------------------


@dataclass(frozen=True)
class ClockEvent:
    """One event that moves a clock; ``day`` is the calendar day it happened."""

    PAUSE = "pause"  # waiting for the applicant or a third party: days after this do not count …
    RESUME = "resume"  # … until this day, which is day 0 again for what is left
    RESTART = "restart"  # the count starts again from this day (e.g. 政府信息公开条例 第30条: corrected application)
    EXTEND = "extend"  # an approved extension adds ``days`` working days

    kind: str
    day: date
    days: int = 0


@dataclass(frozen=True)
class ClockState:
    """Where a clock stands: its due date (None while paused), the limit with extensions, days used."""

    limit: int
    used: int
    due: Deadline | None
    paused_since: date | None = None

    @property
    def remaining(self) -> int:
        return self.limit - self.used

    @property
    def paused(self) -> bool:
        return self.paused_since is not None


def run_clock(received: date, limit: int, events: Iterable[ClockEvent] = ()) -> ClockState:
    """Derive a clock's state from the day it started, its limit in working days and its events.

    Working days in (anchor, pause] count as used; days after a pause up to its resume do not; the
    resume day is day 0 for the days left. A restart forgets the days used before it. Extensions add to
    the limit whenever they happen. Events must be in the order they happened; a resume without a pause,
    or a pause while paused, is ignored (the timeline, not this function, guards against them).
    """
    anchor, used, total = received, 0, limit
    paused_since: date | None = None
    for event in sorted(events, key=lambda e: e.day):
        if event.kind == ClockEvent.EXTEND:
            total += event.days
        elif event.kind == ClockEvent.PAUSE and paused_since is None:
            used += workdays_between(anchor, max(event.day, anchor))
            paused_since = event.day
        elif event.kind == ClockEvent.RESUME and paused_since is not None:
            anchor, paused_since = max(event.day, paused_since), None
        elif event.kind == ClockEvent.RESTART:
            anchor, used, paused_since = event.day, 0, None
    if paused_since is not None:
        return ClockState(limit=total, used=used, due=None, paused_since=paused_since)
    due = add_workdays(anchor, max(total - used, 0))
    return ClockState(limit=total, used=used, due=due)
