"""Online meetings anywhere, soonest first: for people who have no place to search from."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.nearby import (
    ATTENDANCE_FINDS,
    Filters,
    Hit,
    Page,
    light_rows,
    load_results,
    row_attendance,
    sort_key,
    today_cut,
    today_days,
)
from finder.schedule import (
    NIGHT_ENDS,
    Occurrence,
    current_or_next,
    end_of_local_day,
    local_weekday,
    sunday_weekday,
    time_of_day,
    zone,
)


def relative_day(days: tuple[str, ...]) -> str | None:
    """ "today" or "tomorrow" when that is the whole day filter: with no place it is read on
    each meeting's clock, or the viewer's, meeting by meeting."""
    return days[0] if days in (("today",), ("tomorrow",)) else None


def _day_rule(
    relative_day: str, tz: str, now: dt.datetime, times: frozenset[str]
) -> tuple[frozenset[int], Filters]:
    """For one zone: the weekdays "today"/"tomorrow" mean there, and the cut of "today",
    as a search there reads them (finder.nearby.today_days and today_cut)."""
    values = (relative_day,)
    days = today_days(values, local_weekday(now, tz), times)
    return days, Filters(starts_before=today_cut(values, times, end_of_local_day(now, tz)))


def _on_viewer_day(
    occurrence: Occurrence,
    relative_day: str,
    viewer: ZoneInfo,
    now: dt.datetime,
    night: bool = False,
) -> bool:
    """Whether an occurrence falls on the viewer's today (or is running) or tomorrow;
    at night, today runs on to 5 am after midnight (tonight)."""
    ahead = dt.timedelta(days=1 if relative_day == "tomorrow" else 0)
    target = now.astimezone(viewer).date() + ahead
    if relative_day == "today" and occurrence.in_progress:
        return True
    start = occurrence.start.astimezone(viewer)
    if relative_day == "today" and night and start.date() == target + dt.timedelta(days=1):
        return start.time() < NIGHT_ENDS
    return start.date() == target


def _on_viewer_clock_keeps(occurrence: Occurrence, filters: Filters, viewer: ZoneInfo) -> bool:
    """Whether a start passes the weekday and time-of-day filters on the viewer's clock:
    the page shows every time there, so "Wednesday" and "Evening" mean there too."""
    start = occurrence.start.astimezone(viewer)
    if filters.days and sunday_weekday(start.date()) not in filters.days:
        return False
    return not filters.times_of_day or time_of_day(start.time()) in filters.times_of_day


def online_hits(
    session: Session,
    filters: Filters,
    now: dt.datetime,
    relative_day: str | None = None,
    viewer_tz: str | None = None,
) -> list[Hit]:
    """Published online and hybrid meetings matching the filters, soonest first (distance 0).

    relative_day ("today" or "tomorrow") is read on the viewer's clock when viewer_tz is
    known, else in each meeting's zone; "today" keeps only what is in progress or still
    to start before midnight there. Weekdays and times of day are read on the viewer's
    clock too when it is known (the page shows its times there), else on each meeting's.
    """
    viewer = zone(viewer_tz) if viewer_tz else None
    # On the viewer's clock a weekday is no column value: each start is checked below.
    sql_filters = replace(filters, days=frozenset()) if viewer else filters
    stmt = light_rows(sql_filters).where(
        Meeting.day.is_not(None),
        Meeting.time.is_not(None),
        or_(
            Meeting.conference_url != "",
            Meeting.conference_phone != "",
            Meeting.attendance_option == "online",
        ),
    )
    wanted = filters.wanted_attendance & ATTENDANCE_FINDS["online"]
    times = filters.times_of_day
    night = "night" in times  # "today" at night runs on past midnight (tonight)
    hits: list[Hit] = []
    rules: dict[str, tuple[frozenset[int], Filters]] = {}  # per zone, worked out once
    for row in session.execute(stmt):
        types = row.types or []
        attendance = row_attendance(row)
        if attendance not in wanted or not filters.types.issubset(types):
            continue
        if not filters.keeps_name(row.name, row.group_name):
            continue
        own_clock_times = viewer is None and filters.times_of_day
        if own_clock_times and time_of_day(row.time) not in filters.times_of_day:
            continue
        cut = filters
        if relative_day and viewer is None:
            if row.timezone not in rules:
                rules[row.timezone] = _day_rule(relative_day, row.timezone, now, times)
            days, cut = rules[row.timezone]
            if row.day not in days:
                continue
        occurrence = current_or_next(row.day, row.time, row.end_time, row.timezone, now)
        if (
            viewer
            and relative_day
            and not _on_viewer_day(occurrence, relative_day, viewer, now, night)
        ):
            continue
        if viewer and not _on_viewer_clock_keeps(occurrence, filters, viewer):
            continue
        if filters.keeps(occurrence) and cut.keeps(occurrence):
            hits.append(Hit(row.id, 0.0, occurrence, attendance, row.timezone))
    hits.sort(key=sort_key("soonest"))
    return hits


def online_page(
    session: Session,
    filters: Filters,
    now: dt.datetime,
    *,
    relative_day: str | None = None,
    viewer_tz: str | None = None,
    offset: int = 0,
    limit: int = 25,
) -> Page:
    hits = online_hits(session, filters, now, relative_day, viewer_tz)
    page_hits = hits[offset : offset + limit]
    return Page(
        total=len(hits),
        results=load_results(session, page_hits),
        timezones=frozenset(h.timezone for h in page_hits),
    )
