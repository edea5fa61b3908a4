"""The published feed streamed from one Core query, a chunk at a time.

Loading 100,000 ORM meetings with their places takes many seconds and hundreds of MB;
one Core query reads only the columns the feed shows, a chunk at a time, which
feed_rows turns into the dicts `export.meeting_row` would make and orjson serialises.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from finder.feeds import export
from finder.feeds.feed_rows import FeedRows, columns
from finder.geo import haversine_km
from finder.models import Fellowship, Group, Location, Meeting, Source
from finder.spatial.grid import box

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

    def keeps(self, row: Any) -> bool:
        """Whether a row of feed_select (or a location) is within the radius."""
        return haversine_km(self.lat, self.lng, row.latitude, row.longitude) <= self.radius_km


@dataclass(frozen=True)
class Scope:
    """Which published meetings a feed holds: all, or some fellowships, or an area."""

    fellowships: tuple[str, ...] = ()
    area: Area | None = None


def feed_select(scope: Scope) -> Select[Any]:
    """Published non-demo meetings' feed columns (feed_rows.COLUMNS), by slug."""
    stmt = (
        select(*columns())
        .join(Location, Meeting.location_id == Location.id)
        .join(Fellowship, Meeting.fellowship_id == Fellowship.id)
        .outerjoin(Group, Meeting.group_id == Group.id)
        .outerjoin(Source, Meeting.source_id == Source.id)
        .where(export.in_feed())
        .order_by(Meeting.slug)
    )
    if scope.fellowships:
        stmt = stmt.where(Fellowship.code.in_(scope.fellowships))
    if scope.area is not None:
        stmt = stmt.where(scope.area.where())
    return stmt


def feed_chunks(session: Session, link_for: export.LinkFor, scope: Scope) -> Iterator[bytes]:
    """The feed as compact UTF-8 JSON in pieces (equal data gives equal bytes).

    orjson: the same compact JSON as json.dumps(separators=(",", ":"), ensure_ascii=False)
    up to the spelling of tiny floats (1e-7, not 1e-07), several times faster.
    """
    conn = session.connection()
    feed_rows = FeedRows(conn.dialect, link_for)
    result = conn.execution_options(yield_per=CHUNK).execute(feed_select(scope))
    keeps = scope.area.keeps if scope.area is not None else None
    yield b"["
    first = True
    for rows in result.partitions():  # Core rows: no ORM work per row
        batch = feed_rows.rows(rows if keeps is None else filter(keeps, rows))
        if batch:  # one encoder call per chunk: "[a,b]" less its brackets
            yield (b"" if first else b",") + orjson.dumps(batch)[1:-1]
            first = False
    yield b"]"
