"""Loading a dataset into SQLite (a cached file under bench/.work) or a throwaway PostgreSQL db."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, create_engine, make_url, text

from bench.data import DATA_VERSION, FELLOWSHIPS, Dataset, clock
from finder.catalog import FELLOWSHIPS as FELLOWSHIP_NAMES
from finder.models import Base, Fellowship, Location, Meeting, Source

WORK = Path(__file__).resolve().parent / ".work"
PG_SERVER = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NOW = dt.datetime(2026, 11, 25, 12, 0, 0)
SOURCE_ID = 1


def schema_tag() -> str:
    """Changes whenever a model gains or loses a column: cached files are then rebuilt."""
    names = sorted(f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:8]


def _default(column: Column[Any]) -> Any:
    """A value for a column the generator does not set."""
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg  # type: ignore[attr-defined]
    if default is not None and getattr(default, "is_callable", False):
        value = default.arg(None)  # type: ignore[attr-defined]
        return json.dumps(value) if isinstance(value, list | dict) else value
    if column.nullable:
        return None
    raise RuntimeError(f"bench does not know how to fill {column.table.name}.{column.name}")


def _rows(
    table: Table, given: dict[str, Any], count: int
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Column names and rows: `given` maps a column to a list of values or a constant."""
    names = [c.name for c in table.columns]
    columns = []
    for column in table.columns:
        value = given[column.name] if column.name in given else _default(column)
        columns.append(value if isinstance(value, list) else [value] * count)
    return names, zip(*columns, strict=True)


def location_rows(data: Dataset) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    n = len(data.place_lat)
    ids = list(range(1, n + 1))
    return _rows(Location.__table__, {  # type: ignore[arg-type]
        "id": ids, "name": [f"Hall {i}" for i in ids], "address": [f"{i} Main St" for i in ids],
        "formatted_address": [f"{i} Main St, Somewhere" for i in ids], "country": "US",
        "latitude": data.place_lat.tolist(), "longitude": data.place_lng.tolist(),
        "approximate": False, "timezone": data.place_tz, "regions": "[]", "updated_at": NOW,
    }, n)  # fmt: skip


def meeting_rows(data: Dataset) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    n = data.size
    ids = list(range(1, n + 1))
    fellowship_ids = [FELLOWSHIPS_ORDER[FELLOWSHIPS[i]] for i in data.fellowship.tolist()]
    return _rows(Meeting.__table__, {  # type: ignore[arg-type]
        "id": ids, "slug": [f"b-{i}" for i in ids], "name": [f"Meeting {i}" for i in ids],
        "fellowship_id": fellowship_ids, "group_id": None,
        "location_id": (data.meeting_place + 1).tolist(),
        "day": [None if d < 0 else d for d in data.day.tolist()],
        "time": [clock(m) for m in data.start.tolist()],
        "end_time": [clock(m) for m in data.end.tolist()], "types": data.types,
        "conference_url": ["https://meet.example.org/x" if o else "" for o in data.online.tolist()],
        "published": True, "temporarily_closed": False, "source_id": SOURCE_ID,
        "source_key": [f"b-{i}" for i in ids], "created_at": NOW, "updated_at": NOW,
    }, n)  # fmt: skip


FELLOWSHIPS_ORDER = {code: i + 1 for i, (code, _) in enumerate(FELLOWSHIP_NAMES)}


def _fixed_rows() -> list[tuple[Table, list[str], list[tuple[Any, ...]]]]:
    codes = [code for code, _ in FELLOWSHIP_NAMES]
    fellowships = _rows(Fellowship.__table__, {  # type: ignore[arg-type]
        "id": [FELLOWSHIPS_ORDER[c] for c in codes], "code": codes,
        "name": [name for _, name in FELLOWSHIP_NAMES]}, len(codes))  # fmt: skip
    source = _rows(Source.__table__, {"id": SOURCE_ID, "name": "benchmark", "kind": "demo",  # type: ignore[arg-type]
                                      "last_counts": "{}", "created_at": NOW}, 1)  # fmt: skip
    return [
        (Fellowship.__table__, fellowships[0], list(fellowships[1])),  # type: ignore[list-item]
        (Source.__table__, source[0], list(source[1])),  # type: ignore[list-item]
    ]


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.%f")
    return value


def sqlite_file(data: Dataset) -> str:
    """The URL of a SQLite file holding the dataset (built once, then reused)."""
    WORK.mkdir(exist_ok=True)
    path = WORK / f"bench_{data.size}_v{DATA_VERSION}_{schema_tag()}.sqlite3"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        engine = create_engine(f"sqlite:///{partial}")
        Base.metadata.create_all(engine)
        engine.dispose()
        db = sqlite3.connect(partial)
        db.execute("PRAGMA journal_mode=WAL")
        for table, names, rows in _fixed_rows():
            _sqlite_insert(db, table.name, names, iter(rows))
        _sqlite_insert(db, "location", *location_rows(data))
        _sqlite_insert(db, "meeting", *meeting_rows(data))
        db.execute("ANALYZE")
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        partial.rename(path)
    return f"sqlite:///{path}"


def _sqlite_insert(
    db: sqlite3.Connection, table: str, names: list[str], rows: Iterator[tuple[Any, ...]]
) -> None:
    # Table and column names come from the models, never from input.
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608
    db.executemany(sql, (tuple(_sqlite_value(v) for v in row) for row in rows))


@contextmanager
def postgres_database(data: Dataset | None, tag: str = "") -> Iterator[str | None]:
    """A throwaway database bench_<size>_<pid> with the dataset (empty without one);
    None when no server answers."""
    name = f"bench_{tag or (data.size if data else 'empty')}_{os.getpid()}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: the harness reports PostgreSQL as not measured
        print(f"PostgreSQL not available ({type(exc).__name__}): skipped")
        admin.dispose()
        yield None
        return
    url = make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        if data is not None:
            _load_postgres(url, data)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _load_postgres(url: str, data: Dataset) -> None:
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for table, names, rows in _fixed_rows():
            _copy(cur, table.name, names, iter(rows))
        _copy(cur, "location", *location_rows(data))
        _copy(cur, "meeting", *meeting_rows(data))
        for table in ("fellowship", "source", "location", "meeting"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cur.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")  # noqa: S608
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def _copy(cur: Any, table: str, names: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    with cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
