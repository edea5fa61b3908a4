"""The published feed streamed from one Core query, a chunk at a time.

Loading 100,000 ORM meetings with their places takes many seconds and hundreds of MB;
`export.meeting_row` keeps its contract (a meeting -> a dict) and is given stand-ins
(finder.standins) read a chunk at a time, serialised by orjson a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    or_,
)
from sqlalchemy.orm import Session

from finder.feeds import export
from finder.geo import haversine_km
from finder.models import Fellowship, Location, Meeting, Source
from finder.spatial.grid import box
from finder.standins import Standins, meeting_select

CHUNK = 2_000  # rows fetched and serialised at a time: bounds the memory of a build


@dataclass(frozen=True)
class Area:
    """Only meetings within radius_km of a point."""

    lat: float
    lng: float
    radius_km: float

    def where(self) -> ColumnElement[bool]:
        area = box(self.lat, self.lng, self.radius_km)
        lngs = [Location.longitude.between(lo, hi) for lo, hi in area.lng_ranges]
        return and_(Location.latitude.between(area.min_lat, area.max_lat), or_(*lngs))

    def keeps(self, location: Any) -> bool:
        return haversine_km(self.lat, self.lng, location.latitude, location.longitude) <= (
            self.radius_km
        )


@dataclass(frozen=True)
class Scope:
    """Which published meetings a feed holds: all, or some fellowships, or an area."""

    fellowships: tuple[str, ...] = ()
    area: Area | None = None


def feed_select(scope: Scope) -> Select[Any]:
    """Published non-demo meetings with their location and group, by slug."""
    stmt = (
        meeting_select()
        .outerjoin(Source, Meeting.source_id == Source.id)
        .where(Meeting.published.is_(True), or_(Source.id.is_(None), Source.kind != "demo"))
        .order_by(Meeting.slug)
    )
    if scope.fellowships:
        stmt = stmt.join(Fellowship, Meeting.fellowship_id == Fellowship.id).where(
            Fellowship.code.in_(scope.fellowships)
        )
    if scope.area is not None:
        stmt = stmt.where(scope.area.where())
    return stmt


def feed_meetings(session: Session, scope: Scope) -> Iterator[Meeting]:
    """The feed's meetings in slug order, read a chunk at a time."""
    standin = Standins(session)
    conn = session.connection().execution_options(yield_per=CHUNK)
    result = conn.execute(feed_select(scope))  # Core rows: no ORM work per row
    keeps = scope.area.keeps if scope.area is not None else None
    for rows in result.partitions():
        for row in rows:
            meeting = standin(row)
            if keeps is None or keeps(meeting.location):
                yield meeting


def feed_chunks(session: Session, link_for: export.LinkFor, scope: Scope) -> Iterator[bytes]:
    """The feed as compact UTF-8 JSON in pieces (equal data gives equal bytes).

    orjson: the same compact JSON as json.dumps(separators=(",", ":"), ensure_ascii=False)
    up to the spelling of tiny floats (1e-7, not 1e-07), several times faster.
    """
    yield b"["
    batch: list[dict[str, Any]] = []
    first = True
    for meeting in feed_meetings(session, scope):
        batch.append(export.meeting_row(meeting, link_for))
        if len(batch) >= CHUNK:  # one encoder call per chunk: "[a,b]" less its brackets
            yield (b"" if first else b",") + orjson.dumps(batch)[1:-1]
            batch, first = [], False
    if batch:
        yield (b"" if first else b",") + orjson.dumps(batch)[1:-1]
    yield b"]"
