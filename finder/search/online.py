"""Online meetings anywhere, soonest first: for people who have no place to search from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from finder.models import Fellowship, Location, Meeting, derive_attendance
from finder.nearby import Filters, Hit, Page, load_results
from finder.schedule import current_or_next, time_of_day


def online_hits(session: Session, filters: Filters, now: dt.datetime) -> list[Hit]:
    """Published online-only meetings matching the filters, soonest first (distance 0)."""
    stmt = (
        select(
            Meeting.id,
            Meeting.day,
            Meeting.time,
            Meeting.end_time,
            Meeting.types,
            Meeting.conference_url,
            Meeting.conference_phone,
            Meeting.temporarily_closed,
            Meeting.attendance_option,
            Location.approximate,
            Location.timezone,
            Location.address,
            Location.formatted_address,
        )
        .join(Location, Meeting.location_id == Location.id)
        .where(
            Meeting.published.is_(True),
            Meeting.day.is_not(None),
            Meeting.time.is_not(None),
            or_(
                Meeting.conference_url != "",
                Meeting.conference_phone != "",
                Meeting.attendance_option == "online",
            ),
        )
    )
    if filters.days:
        stmt = stmt.where(Meeting.day.in_(sorted(filters.days)))
    if filters.fellowships:
        stmt = stmt.join(Fellowship, Meeting.fellowship_id == Fellowship.id).where(
            Fellowship.code.in_(sorted(filters.fellowships))
        )
    hits: list[Hit] = []
    for row in session.execute(stmt):
        types = row.types or []
        attendance = row.attendance_option or derive_attendance(
            has_address=bool(row.address or row.formatted_address),
            approximate=row.approximate,
            conference_url=row.conference_url,
            conference_phone=row.conference_phone,
            temporarily_closed=row.temporarily_closed or "TC" in types,
        )
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
