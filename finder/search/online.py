"""Online meetings anywhere, soonest first: for people who have no place to search from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.nearby import Filters, Hit, Page, light_rows, load_results, row_attendance
from finder.schedule import current_or_next, end_of_local_day, sunday_weekday, time_of_day, zone


def on_their_day(day: int, tz: str, relative_day: str, now: dt.datetime) -> bool:
    """Whether a meeting's weekday is "today" or "tomorrow" on its own clock."""
    today = sunday_weekday(now.astimezone(zone(tz)).date())
    return day == (today if relative_day == "today" else (today + 1) % 7)


def online_hits(
    session: Session, filters: Filters, now: dt.datetime, relative_day: str | None = None
) -> list[Hit]:
    """Published online-only meetings matching the filters, soonest first (distance 0).

    relative_day ("today" or "tomorrow") is read in each meeting's zone; "today" keeps
    only what is in progress or still to start before midnight there.
    """
    stmt = light_rows(filters).where(
        Meeting.day.is_not(None),
        Meeting.time.is_not(None),
        or_(
            Meeting.conference_url != "",
            Meeting.conference_phone != "",
            Meeting.attendance_option == "online",
        ),
    )
    hits: list[Hit] = []
    for row in session.execute(stmt):
        types = row.types or []
        attendance = row_attendance(row)
        if attendance != "online" or not filters.types.issubset(types):
            continue
        if filters.times_of_day and time_of_day(row.time) not in filters.times_of_day:
            continue
        if relative_day and not on_their_day(row.day, row.timezone, relative_day, now):
            continue
        occurrence = current_or_next(row.day, row.time, row.end_time, row.timezone, now)
        if relative_day == "today" and not (
            occurrence.in_progress
            or occurrence.start.timestamp() < end_of_local_day(now, row.timezone).timestamp()
        ):
            continue
        if filters.keeps(occurrence):
            hits.append(Hit(row.id, 0.0, occurrence, attendance, row.timezone))
    hits.sort(key=lambda h: (h.occurrence.start.timestamp() if h.occurrence else 0, h.meeting_id))
    return hits


def online_page(
    session: Session,
    filters: Filters,
    now: dt.datetime,
    *,
    relative_day: str | None = None,
    offset: int = 0,
    limit: int = 25,
) -> Page:
    hits = online_hits(session, filters, now, relative_day)
    page_hits = hits[offset : offset + limit]
    return Page(
        total=len(hits),
        results=load_results(session, page_hits),
        timezones=frozenset(h.timezone for h in page_hits),
    )
