"""Meetings that left their feed: what they were, and what is at the same place or time nearby."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from finder.geo import haversine_km
from finder.models import Location, Meeting, Source
from finder.organize.models import MeetingUpkeep

SAME_PLACE_KM = 0.05
SAME_TIME_KM = 10.0
LIMIT = 10


@dataclass
class Gone:
    """A meeting no longer listed, and the listed meetings a visitor may have wanted instead."""

    meeting: Meeting
    same_place: list[Meeting]
    same_time: list[Meeting]


def gone_meeting(session: Session, slug: str) -> Meeting | None:
    """The meeting with this slug that its feed no longer lists, or a local one its group
    says no longer meets (not demo meetings, nor local ones waiting for review or hidden by
    an admin)."""
    stopped = and_(Source.kind == "local", MeetingUpkeep.stopped.is_(True))
    stmt = (
        select(Meeting)
        .join(Source, Meeting.source_id == Source.id)
        .outerjoin(MeetingUpkeep, MeetingUpkeep.meeting_id == Meeting.id)
        .where(Meeting.slug == slug, Meeting.published.is_(False))
        .where(or_(Source.kind == "feed", stopped))
        .options(
            joinedload(Meeting.location), joinedload(Meeting.fellowship), joinedload(Meeting.source)
        )
    )
    return session.scalars(stmt).first()


def _around(session: Session, location: Location, km: float) -> list[Meeting]:
    """Published meetings within km of a location, nearest first."""
    lat, lng = location.latitude, location.longitude
    if lat is None or lng is None:
        return []
    dlat = km / 111.0
    dlng = km / max(0.01, 111.0 * math.cos(math.radians(lat)))
    stmt = (
        select(Meeting)
        .join(Location, Meeting.location_id == Location.id)
        .outerjoin(Source, Meeting.source_id == Source.id)
        .where(Meeting.published.is_(True), or_(Source.id.is_(None), Source.kind != "demo"))
        .where(Location.latitude.between(lat - dlat, lat + dlat))
        .where(Location.longitude.between(lng - dlng, lng + dlng))
        .options(joinedload(Meeting.location))
    )
    rows = [
        m
        for m in session.scalars(stmt)
        if m.location.latitude is not None and m.location.longitude is not None
    ]
    distance = {
        m.id: haversine_km(lat, lng, m.location.latitude, m.location.longitude)  # type: ignore[arg-type]
        for m in rows
    }
    found = [m for m in rows if distance[m.id] <= km]
    return sorted(found, key=lambda m: (distance[m.id], m.day or 0, m.time, m.name))


def what_was_there(session: Session, meeting: Meeting) -> Gone:
    """Meetings at the same place (not for an approximate one), and on the same day and time
    nearby."""
    location = meeting.location
    same_place: list[Meeting] = []
    if location.kind == "room":
        here = _around(session, location, SAME_PLACE_KM)
        same_place = [m for m in here if m.meets_at_its_location][:LIMIT]
        same_place.sort(key=lambda m: (m.day is None, m.day, m.time, m.name))
    same_time: list[Meeting] = []
    if meeting.day is not None and meeting.time is not None:
        same_time = [
            m
            for m in _around(session, location, SAME_TIME_KM)
            if m.day == meeting.day and m.time == meeting.time and m not in same_place
        ][:LIMIT]
    return Gone(meeting, same_place, same_time)
