"""Reading published meetings from the database into columns: all of them, or a few by id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Select, String, Text, cast, or_, select

from finder.models import Fellowship, Location, Meeting
from finder.spatial.columns import Columns, Vocabulary, empty, from_rows

CHUNK = 50_000  # rows converted at a time: bounds the memory a full load needs
ID_CHUNK = 500  # ids per IN (...) list


def row_select() -> Select[*tuple[Any, ...]]:
    """The narrow columns the index needs, in the order columns.from_rows reads them."""
    return (
        select(
            Meeting.id,
            Meeting.day,
            cast(Meeting.time, String),
            cast(Meeting.end_time, String),
            cast(Meeting.types, Text),
            Meeting.conference_url != "",
            Meeting.conference_phone != "",
            Meeting.temporarily_closed,
            Meeting.fellowship_id,
            Location.latitude,
            Location.longitude,
            Location.approximate,
            Location.timezone,
            or_(Location.address != "", Location.formatted_address != ""),
            Meeting.attendance_option,
        )
        .join(Location, Meeting.location_id == Location.id)
        .where(Meeting.published.is_(True))
    )


def _converted(parts: Iterable[Columns], vocab: Vocabulary) -> Columns:
    done = [p for p in parts if len(p)]
    if not done:
        return empty(vocab.words)
    return Columns.concat([p.widen_types(vocab.words) for p in done])


def load_all(conn: Connection, vocab: Vocabulary) -> Columns:
    """Every published meeting, streamed in chunks."""
    stmt = row_select().execution_options(stream_results=True, yield_per=CHUNK)
    result = conn.execute(stmt)
    return _converted((from_rows(chunk, vocab) for chunk in result.partitions()), vocab)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), ID_CHUNK):
        yield ordered[i : i + ID_CHUNK]


def load_ids(conn: Connection, vocab: Vocabulary, ids: Iterable[int]) -> Columns:
    """The published ones among these meetings."""
    parts = (
        from_rows(conn.execute(row_select().where(Meeting.id.in_(chunk))).all(), vocab)
        for chunk in _chunks(ids)
    )
    return _converted(parts, vocab)


def meetings_at(conn: Connection, location_ids: Iterable[int]) -> set[int]:
    """Ids of every meeting (published or not) at these locations."""
    found: set[int] = set()
    for chunk in _chunks(location_ids):
        stmt = select(Meeting.id).where(Meeting.location_id.in_(chunk))
        found.update(int(i) for i in conn.execute(stmt).scalars())
    return found


def fellowship_ids(conn: Connection) -> dict[str, int]:
    """Fellowship code -> id."""
    return {code: int(i) for code, i in conn.execute(select(Fellowship.code, Fellowship.id))}
