"""Reading published meetings from the database into columns: all of them, or a few by id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Integer, Select, String, Text, case, cast, or_, select

from finder.models import Fellowship, Group, Location, Meeting
from finder.spatial import rows
from finder.spatial.columns import Columns, Vocabulary, empty

CHUNK = 50_000  # rows converted at a time: bounds the memory a full load needs
ID_CHUNK = 500  # ids per IN (...) list


def _bit(condition: Any, value: int) -> Any:
    return case((condition, value), else_=0)


def row_select() -> Select[*tuple[Any, ...]]:
    """The narrow columns the index needs, in the order rows.from_rows reads them.

    Meetings without coordinates (online, no place) are never near anything: left out.
    """
    attendance_key = (
        _bit(or_(Location.address != "", Location.formatted_address != ""), rows.HAS_ADDRESS)
        + _bit(Location.approximate.is_(True), rows.APPROXIMATE)
        + _bit(Meeting.conference_url != "", rows.HAS_URL)
        + _bit(Meeting.conference_phone != "", rows.HAS_PHONE)
        + _bit(Meeting.temporarily_closed.is_(True), rows.CLOSED)
    )
    return (
        select(
            Meeting.id,
            Meeting.day,
            cast(Meeting.time, String),
            cast(Meeting.end_time, String),
            cast(Meeting.types, Text),
            cast(attendance_key, Integer),
            Meeting.fellowship_id,
            Location.latitude,
            Location.longitude,
            Location.timezone,
            Meeting.attendance_option,
            Meeting.name,
            Group.name,
        )
        .join(Location, Meeting.location_id == Location.id)
        .outerjoin(Group, Meeting.group_id == Group.id)
        .where(
            Meeting.published.is_(True),
            Meeting.duplicate_of_id.is_(None),
            Location.latitude.is_not(None),
        )
    )


def _converted(parts: Iterable[Columns], vocab: Vocabulary) -> Columns:
    done = [p for p in parts if len(p)]
    if not done:
        return empty(vocab.words)
    return Columns.concat([p.widen_types(vocab.words) for p in done])


def _raw_chunks(conn: Connection, stmt: Select[*tuple[Any, ...]]) -> Iterator[Sequence[Any]]:
    """Rows straight from the driver's cursor (no Row objects: a third faster at 1M rows).

    The statement has no user input; literal values are rendered by SQLAlchemy.
    """
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    named = conn.dialect.name == "postgresql"  # a server-side cursor streams
    cursor = dbapi.cursor(name="finder_search_index") if named else dbapi.cursor()
    try:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk
    finally:
        cursor.close()


def load_all(conn: Connection, vocab: Vocabulary) -> Columns:
    """Every published meeting, streamed in chunks."""
    return _converted((rows.from_rows(c, vocab) for c in _raw_chunks(conn, row_select())), vocab)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), ID_CHUNK):
        yield ordered[i : i + ID_CHUNK]


def load_ids(conn: Connection, vocab: Vocabulary, ids: Iterable[int]) -> Columns:
    """The published ones among these meetings."""
    parts = (
        rows.from_rows(conn.execute(row_select().where(Meeting.id.in_(chunk))).all(), vocab)
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
