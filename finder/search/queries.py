"""Reading meetings for the meeting page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.models import Meeting


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
    """Other published meetings at the same location, in weekly order."""
    stmt = (
        select(Meeting)
        .where(
            Meeting.location_id == meeting.location_id,
            Meeting.id != meeting.id,
            Meeting.published.is_(True),
        )
        .order_by(Meeting.day.is_(None), Meeting.day, Meeting.time, Meeting.name)
        .limit(limit)
    )
    return list(session.scalars(stmt))
