"""The published feed streamed from one Core query: light stand-ins for ORM meetings, in chunks.

Loading 100,000 ORM meetings with their places takes many seconds and hundreds of MB;
the same columns through one Core query, a chunk at a time, take a fraction of that.
`export.meeting_row` keeps its contract (a meeting -> a dict): it is given stand-ins
that carry every column of the meeting, its location, group, fellowship and source
under the ORM names, and the models' own properties (`attendance`, `last_updated`...).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Dialect,
    Select,
    Time,
    and_,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from finder.feeds import export
from finder.geo import haversine_km
from finder.models import Base, Fellowship, Group, Location, Meeting, Source
from finder.spatial.grid import box

CHUNK = 2_000  # rows fetched and serialised at a time: bounds the memory of a build


# Read with each row: the meeting, its location and group (columns no feed field needs
# are left out: each costs a parse per row). Fellowships and sources are few: read once.
PER_ROW: tuple[tuple[str, type[Base], frozenset[str]], ...] = (
    ("", Meeting, frozenset({"created_at"})),
    ("location", Location, frozenset({"updated_at"})),
    ("group", Group, frozenset()),
)
RELATIONS = ("location", "group", "fellowship", "source")


def _keys(model: type[Base], skipped: frozenset[str] = frozenset()) -> tuple[str, ...]:
    keys = tuple(a.key for a in model.__mapper__.column_attrs if a.key not in skipped)
    assert keys[0] == "id"  # a missing outer-joined part is told by its id
    return keys


def _standin_class(model: type[Base], fields: tuple[str, ...]) -> type[tuple[Any, ...]]:
    """A named tuple with the model's attribute names and its (plain Python) properties:
    made at C speed, read like the model."""
    properties = {name: value for name, value in vars(model).items() if isinstance(value, property)}
    row = namedtuple(f"{model.__name__}Row", fields)  # type: ignore[misc]
    return type(f"{model.__name__}Standin", (row,), {"__slots__": (), **properties})


# Columns read raw and converted through a memo: few distinct values (times, type lists,
# import dates) each parsed once instead of once a row (SQLite hands them out as text).
MEMO_TYPES = (JSON, Time, DateTime, Date, Boolean)


def _memoized(column: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column's own result conversion for this database, remembering its answers."""
    if not isinstance(column.type, MEMO_TYPES):
        return None
    convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
    if convert is None:
        return None
    remembered = lru_cache(maxsize=4096)(convert)

    def converted(value: Any) -> Any:
        # Values are shared between rows: meeting_row copies lists before changing them.
        return remembered(value) if isinstance(value, str | int | float) else convert(value)

    return converted


def _column(model: type[Base], key: str) -> Any:
    """The column to select: raw (converted by _memoized) where a memo pays."""
    column = getattr(model, key)
    return type_coerce(column, NullType()) if isinstance(column.type, MEMO_TYPES) else column


@dataclass(frozen=True)
class Part:
    """One model's columns in a row of feed_select: where, and as what."""

    name: str  # the relationship on Meeting; "" for the meeting itself
    model: type[Base]
    keys: tuple[str, ...]
    start: int
    standin: Callable[..., Any]  # a named tuple type (see _standin_class)

    @property
    def stop(self) -> int:
        return self.start + len(self.keys)


def _parts() -> tuple[Part, ...]:
    found, start = [], 0
    for name, model, skipped in PER_ROW:
        keys = _keys(model, skipped)
        fields = keys + (RELATIONS if not name else ())
        found.append(Part(name, model, keys, start, _standin_class(model, fields)))
        start += len(keys)
    return tuple(found)


PARTS = _parts()
MEETING, LOCATION, GROUP = PARTS
FELLOWSHIP_STANDIN = _standin_class(Fellowship, _keys(Fellowship))
SOURCE_STANDIN = _standin_class(Source, _keys(Source))


def _all_of(session: Session, model: type[Base], standin: type[Any]) -> dict[int, Any]:
    """Stand-ins of every row of a small table, by id."""
    rows = session.execute(select(*(getattr(model, k) for k in _keys(model))))
    return {row[0]: standin(*row) for row in rows}


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
    columns = [_column(part.model, key) for part in PARTS for key in part.keys]
    stmt = (
        select(*columns)
        .join(Location, Meeting.location_id == Location.id)
        .outerjoin(Group, Meeting.group_id == Group.id)
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


class Standins:
    """Meeting stand-ins from rows of feed_select, with their fellowship and source."""

    def __init__(self, session: Session) -> None:
        self.fellowships = _all_of(session, Fellowship, FELLOWSHIP_STANDIN)
        self.sources = _all_of(session, Source, SOURCE_STANDIN)
        self.fellowship_at = MEETING.keys.index("fellowship_id")
        self.source_at = MEETING.keys.index("source_id")
        dialect = session.get_bind().dialect
        self.converters = {
            part.name: [
                (i, convert)
                for i, key in enumerate(part.keys)
                if (convert := _memoized(getattr(part.model, key), dialect)) is not None
            ]
            for part in PARTS
        }

    def _values(self, part: Part, row: tuple[Any, ...]) -> list[Any]:
        values = list(row[part.start : part.stop])
        for i, convert in self.converters[part.name]:
            values[i] = convert(values[i])
        return values

    def __call__(self, row: Any) -> Meeting:
        """A meeting stand-in for one row (typed as a Meeting: it answers as one)."""
        values = tuple(row)
        location = LOCATION.standin(*self._values(LOCATION, values))
        group = None
        if values[GROUP.start] is not None:  # outer-joined: no group, no id
            group = GROUP.standin(*self._values(GROUP, values))
        own = self._values(MEETING, values)
        fellowship = self.fellowships.get(own[self.fellowship_at])
        source = self.sources.get(own[self.source_at])
        return cast(Meeting, MEETING.standin(*own, location, group, fellowship, source))


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
