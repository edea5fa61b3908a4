"""Meetings read through one Core query as light stand-ins for ORM objects.

Loading ORM meetings with their places costs object construction and Python-side
conversion per row; the same columns through one Core query cost a fraction of that (a
results page's 25 meetings, the API's 50; the feed has its own narrower query in
finder/feeds/feed_rows.py). A stand-in is a named tuple
with every column of the meeting (and its location, group, fellowship and source,
under the ORM names) and the models' own properties (`attendance`, `last_updated`,
`is_demo`...), so code written for a Meeting reads it unchanged. Stand-ins are
read-only and have no session: nothing lazy-loads.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Select,
    Time,
    bindparam,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from finder.models import Base, Fellowship, Group, Location, Meeting, Source

# Read with each row: the meeting, its location and group (columns no page or API answer
# needs are left out: each costs a parse per row). Fellowships and sources are few: read once.
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
    """One model's columns in a row of meeting_select: where, and as what."""

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


def meeting_select() -> Select[Any]:
    """Every column of PARTS: meetings joined to their location and (outer) group."""
    columns = [_column(part.model, key) for part in PARTS for key in part.keys]
    return (
        select(*columns)
        .join(Location, Meeting.location_id == Location.id)
        .outerjoin(Group, Meeting.group_id == Group.id)
    )


def meetings_by_id(
    session: Session, ids: Sequence[int], shared: dict[str, Any] | None = None
) -> dict[int, Meeting]:
    """Stand-ins of these meetings (published or not) by id: one query."""
    if not ids:
        return {}
    standin = Standins(session, shared)
    rows = session.connection().execute(BY_IDS, {"ids": list(ids)})
    return {meeting.id: meeting for meeting in map(standin, rows)}


class Standins:
    """Meeting stand-ins from rows of meeting_select, with their fellowship and source."""

    def __init__(self, session: Session, shared: dict[str, Any] | None = None) -> None:
        """`shared` keeps the fellowships and sources read (see fragments.FragmentCache)."""
        shared = {} if shared is None else shared
        if "fellowships" not in shared:
            shared["fellowships"] = _all_of(session, Fellowship, FELLOWSHIP_STANDIN)
            shared["sources"] = _all_of(session, Source, SOURCE_STANDIN)
        self.fellowships = shared["fellowships"]
        self.sources = shared["sources"]
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


# Built once: SQLAlchemy then reuses its compiled form.
BY_IDS = meeting_select().where(Meeting.id.in_(bindparam("ids", expanding=True)))
