"""Clean and sober time: days, years/months/days and milestones, from a start date.

Pure date arithmetic, no Flask. Dates are whole days in the person's own time
zone: the day count changes at their midnight.

Month rule: adding months keeps the day of the month, and when that month is
shorter, lands on its last day. So Jan 31 + 1 month = Feb 28 (Feb 29 in a leap
year), Mar 31 + 6 months = Sep 30, and the anniversary of Feb 29 in a common
year is Feb 28. Every month count is measured from the start date itself, never
chained, so Jan 31 + 2 months is Mar 31 again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# (label, days) and (label, months) milestones; yearly ones are added on top.
DAY_MILESTONES: tuple[tuple[str, int], ...] = (
    ("24 hours", 1),
    ("30 days", 30),
    ("60 days", 60),
    ("90 days", 90),
    ("100 days", 100),
    ("500 days", 500),
    ("1,000 days", 1000),
)
MONTH_MILESTONES: tuple[tuple[str, int], ...] = (
    ("6 months", 6),
    ("9 months", 9),
    ("18 months", 18),
)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def now_utc() -> dt.datetime:
    """The current moment (one place for tests to stop the clock)."""
    return dt.datetime.now(dt.UTC)


def today_in(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in a time zone."""
    moment = now if now is not None else now_utc()
    return moment.astimezone(ZoneInfo(timezone)).date()


def latest_today(now: dt.datetime | None = None) -> dt.date:
    """Today where it is latest on Earth (UTC+14): no one's today is after it."""
    moment = now if now is not None else now_utc()
    return (moment + dt.timedelta(hours=14)).date()


@dataclass(frozen=True)
class Span:
    """Time since a start date, as whole years, months and days."""

    days_total: int
    years: int
    months: int
    days: int


def whole_months(start: dt.date, today: dt.date) -> int:
    """How many whole months have passed since start (0 when under a month)."""
    months = (today.year - start.year) * 12 + today.month - start.month
    if months > 0 and add_months(start, months) > today:
        months -= 1
    return max(months, 0)


def span(start: dt.date, today: dt.date) -> Span:
    """Days in total, and years/months/days, from start to today (0 if start is later)."""
    if start >= today:
        return Span(0, 0, 0, 0)
    months = whole_months(start, today)
    rest = (today - add_months(start, months)).days
    return Span((today - start).days, months // 12, months % 12, rest)


@dataclass(frozen=True)
class Milestone:
    """A milestone: its English label, its date, and its count and unit for other languages."""

    label: str
    date: dt.date
    count: int = 0
    unit: str = "days"  # hours, days, months or years


def milestones_through(start: dt.date, until: dt.date) -> list[Milestone]:
    """Every milestone from start up to and including the first one after `until`."""
    found = [
        Milestone(label, start + dt.timedelta(days=n), *((24, "hours") if n == 1 else (n, "days")))
        for label, n in DAY_MILESTONES
    ]
    found += [Milestone(label, add_months(start, n), n, "months") for label, n in MONTH_MILESTONES]
    years = max(1, until.year - start.year + 1)
    found += [
        Milestone(year_label(n), add_months(start, 12 * n), n, "years") for n in range(1, years + 1)
    ]
    found.sort(key=lambda m: (m.date, m.label))
    reached = [m for m in found if m.date <= until]
    upcoming = [m for m in found if m.date > until]
    return reached + upcoming[:1]


def year_label(years: int) -> str:
    return "1 year" if years == 1 else f"{years} years"


@dataclass(frozen=True)
class Progress:
    """Everything the sobriety page shows for one date."""

    start: dt.date
    today: dt.date
    span: Span
    reached: list[Milestone]
    next: Milestone
    days_to_next: int
    # Days until the count begins: a date still to come where the person is now (after
    # they moved their zone west, say). 0 once it has begun; the page never calls it today.
    days_to_start: int = 0


def progress(start: dt.date, today: dt.date) -> Progress:
    """Time so far, the milestones reached and the next one with its countdown."""
    all_milestones = milestones_through(start, today)
    reached = [m for m in all_milestones if m.date <= today]
    upcoming = all_milestones[len(reached)]
    return Progress(
        start=start,
        today=today,
        span=span(start, today),
        reached=reached,
        next=upcoming,
        days_to_next=(upcoming.date - today).days,
        days_to_start=max((start - today).days, 0),
    )


def plural(count: int, word: str) -> str:
    """'1 day', '100 days', '1,000 days'."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def describe_span(value: Span) -> str:
    """'1 year, 2 months and 3 days'; parts that are zero are left out."""
    parts = [
        plural(n, word)
        for n, word in ((value.years, "year"), (value.months, "month"), (value.days, "day"))
        if n
    ]
    if not parts:
        return "day one"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
