"""Online meetings anywhere, soonest first: for people who have no place to search from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.nearby import Filters, Hit, Page, light_rows, load_results, row_attendance
from finder.schedule import current_or_next, time_of_day


def online_hits(session: Session, filters: Filters, now: dt.datetime) -> list[Hit]:
    """Published online-only meetings matching the filters, soonest first (distance 0)."""
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
        occurrence = current_or_next(row.day, row.time, row.end_time, row.timezone, now)
        if filters.keeps(occurrence):
            hits.append(Hit(row.id, 0.0, occurrence, attendance, row.timezone))
    hits.sort(key=lambda h: (h.occurrence.start.timestamp() if h.occurrence else 0, h.meeting_id))
    return hits


def online_page(
    session: Session, filters: Filters, now: dt.datetime, *, offset: int = 0, limit: int = 25
) -> Page:
    hits = online_hits(session, filters, now)
    page_hits = hits[offset : offset + limit]
    return Page(
        total=len(hits),
        results=load_results(session, page_hits),
        timezones=frozenset(h.timezone for h in page_hits),
    )
