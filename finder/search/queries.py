"""Reading meetings for the meeting page, and the nearest match when a search finds none."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.models import Meeting
from finder.nearby import Filters, Hit, search_hits


def published_meeting(session: Session, slug: str) -> Meeting | None:
    """The published meeting with this slug, with its place, group and fellowship loaded."""
    stmt = (
        select(Meeting)
        .where(Meeting.slug == slug, Meeting.published.is_(True))
        .options(
            joinedload(Meeting.location),
            joinedload(Meeting.fellowship),
            joinedload(Meeting.group),
            joinedload(Meeting.source),
        )
    )
    return session.scalars(stmt).first()


def other_meetings_here(session: Session, meeting: Meeting, limit: int = 50) -> list[Meeting]:
    """Other published meetings people go to at the same location, in weekly order."""
    stmt = (
        select(Meeting)
        .where(
            Meeting.location_id == meeting.location_id,
            Meeting.id != meeting.id,
            Meeting.published.is_(True),
        )
        .order_by(Meeting.day.is_(None), Meeting.day, Meeting.time, Meeting.name)
    )
    return [m for m in session.scalars(stmt) if m.meets_at_its_location][:limit]


def nearest_match(
    session: Session, lat: float, lng: float, filters: Filters, now: dt.datetime, max_km: float
) -> Hit | None:
    """The nearest published meeting matching the filters within max_km, or None."""
    found = search_hits(session, lat, lng, max_km, filters, now, sort="distance", limit=1)
    return found.hits[0] if found.hits else None
