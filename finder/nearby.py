"""The nearby query: meetings within a radius, soonest or nearest first, with filters.

Two phases keep it cheap: a narrow column query over the indexed latitude and
longitude bounding box finds candidates, the exact distance, filters and next
start are computed on those small tuples, and full rows are loaded only for the
page being shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.geo import bounding_box, haversine_km
from finder.models import Fellowship, Location, Meeting, derive_attendance
from finder.schedule import Occurrence, current_or_next, time_of_day

ATTENDANCE_OPTIONS = ("in_person", "online", "hybrid")
ATTENDANCE_LABELS = {
    "in_person": "In person",
    "online": "Online",
    "hybrid": "Hybrid",
    "inactive": "Temporarily inactive",
}
SORTS = ("soonest", "distance")


@dataclass(frozen=True)
class Filters:
    """What a search asks for; empty sets mean "any"."""

    days: frozenset[int] = frozenset()
    times_of_day: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    attendance: frozenset[str] = frozenset()
    fellowships: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Hit:
    """A meeting that matched, before its full row is loaded."""

    meeting_id: int
    distance_km: float
    occurrence: Occurrence | None
    attendance: str
    timezone: str


@dataclass
class Result:
    meeting: Meeting
    distance_km: float
    occurrence: Occurrence | None
    attendance: str


@dataclass
class Page:
    total: int
    results: list[Result] = field(default_factory=list)
    timezones: frozenset[str] = frozenset()


def _sort_key_soonest(hit: Hit) -> tuple[int, float, float]:
    if hit.occurrence is None:
        return (1, 0.0, hit.distance_km)
    return (0, hit.occurrence.start.timestamp(), hit.distance_km)


def find_hits(
    session: Session,
    lat: float,
    lng: float,
    radius_km: float,
    filters: Filters,
    now: dt.datetime,
    sort: str = "soonest",
) -> list[Hit]:
    """Every published meeting within radius_km matching the filters, sorted."""
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius_km)
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
            Location.latitude,
            Location.longitude,
            Location.approximate,
            Location.timezone,
            Location.address,
            Location.formatted_address,
        )
        .join(Location, Meeting.location_id == Location.id)
        .where(
            Meeting.published.is_(True),
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lng, max_lng),
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
        distance = haversine_km(lat, lng, row.latitude, row.longitude)
        if distance > radius_km:
            continue
        types = row.types or []
        if filters.types and not filters.types.issubset(types):
            continue
        attendance = row.attendance_option or derive_attendance(
            has_address=bool(row.address or row.formatted_address),
            approximate=row.approximate,
            conference_url=row.conference_url,
            conference_phone=row.conference_phone,
            temporarily_closed=row.temporarily_closed or "TC" in types,
        )
        if filters.attendance and attendance not in filters.attendance:
            continue
        if filters.times_of_day and (
            row.time is None or time_of_day(row.time) not in filters.times_of_day
        ):
            continue
        occurrence = None
        if row.day is not None and row.time is not None:
            occurrence = current_or_next(row.day, row.time, row.end_time, row.timezone, now)
        hits.append(Hit(row.id, distance, occurrence, attendance, row.timezone))
    if sort == "distance":
        hits.sort(key=lambda h: (h.distance_km, _sort_key_soonest(h)))
    else:
        hits.sort(key=_sort_key_soonest)
    return hits


def load_results(session: Session, hits: Sequence[Hit]) -> list[Result]:
    """Full meetings (with location, group and fellowship) for the given hits, in order."""
    ids = [h.meeting_id for h in hits]
    if not ids:
        return []
    stmt = (
        select(Meeting)
        .where(Meeting.id.in_(ids))
        .options(
            joinedload(Meeting.location),
            joinedload(Meeting.fellowship),
            joinedload(Meeting.group),
            joinedload(Meeting.source),
        )
    )
    by_id = {m.id: m for m in session.scalars(stmt).unique()}
    return [Result(by_id[h.meeting_id], h.distance_km, h.occurrence, h.attendance) for h in hits]


def search_page(
    session: Session,
    lat: float,
    lng: float,
    radius_km: float,
    filters: Filters,
    now: dt.datetime,
    *,
    sort: str = "soonest",
    offset: int = 0,
    limit: int = 25,
) -> Page:
    """One page of results and the total count."""
    hits = find_hits(session, lat, lng, radius_km, filters, now, sort)
    page_hits = hits[offset : offset + limit]
    return Page(
        total=len(hits),
        results=load_results(session, page_hits),
        timezones=frozenset(h.timezone for h in page_hits),
    )


def parse_days(values: Iterable[str], today: int) -> frozenset[int]:
    """ "today", "tomorrow", "any" or 0..6 (Sunday first); raises ValueError on anything else."""
    days: set[int] = set()
    for value in values:
        value = value.strip().lower()
        if value in {"", "any"}:
            continue
        if value == "today":
            days.add(today)
        elif value == "tomorrow":
            days.add((today + 1) % 7)
        elif value.isdigit() and 0 <= int(value) <= 6:
            days.add(int(value))
        else:
            raise ValueError(f"day must be today, tomorrow, any or 0-6 (Sunday=0), not {value!r}")
    return frozenset(days)
