"""Which meetings changed: a version bumped in the same transaction as every write to them.

Session events collect the meetings and locations a transaction wrote (ORM objects,
or "everything" for bulk insert/update/delete statements on their tables); just before
the commit one UPDATE bumps `search_state.version` and the ids go to `search_change`
under the new version. Every process compares its index's version with that row
(one primary-key read per search) and replays the ids it missed. Taking the row lock
at commit time, not at the first flush, keeps writers from queueing behind a long import.

Writes that bypass the Session (raw SQL on a Connection) must call mark_everything().
"""

from __future__ import annotations

import itertools
import time
import weakref
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, delete, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from finder.models import Fellowship, Group, Location, Meeting, SearchChange, SearchState

STATE = cast(Table, SearchState.__table__)
CHANGE = cast(Table, SearchChange.__table__)
PENDING = "finder.search_changes"
EVERYTHING = ("*", 0)
TRACKED_TABLES = {"meeting", "location", "fellowship", "meeting_group"}
MAX_IDS = 20_000  # a transaction writing more rows records "everything" instead
KEEP_VERSIONS = 1000  # change rows older than this many versions are pruned
RECHECK_SECONDS = 30.0  # how long "the tables are missing" is believed

_tables_seen: weakref.WeakKeyDictionary[Engine, tuple[bool, float]] = weakref.WeakKeyDictionary()


def has_tables(conn: Connection) -> bool:
    """Whether search_state exists (an older schema may not have it yet); cached."""
    known = _tables_seen.get(conn.engine)
    if known is not None and (known[0] or time.monotonic() - known[1] < RECHECK_SECONDS):
        return known[0]
    present = inspect(conn).has_table(STATE.name)
    _tables_seen[conn.engine] = (present, time.monotonic())
    return present


def pending(session: Session) -> set[tuple[str, int]]:
    """The (kind, id) pairs this session's transaction wrote so far."""
    found: set[tuple[str, int]] = session.info.setdefault(PENDING, set())
    return found


def mark_everything(session: Session) -> None:
    """Tell every search index to reload everything when this transaction commits."""
    pending(session).add(EVERYTHING)


def _kind(obj: object) -> str | None:
    if isinstance(obj, Meeting):
        return "m"
    if isinstance(obj, Location):
        return "l"
    if isinstance(obj, Fellowship):
        return "*"
    return None


def _after_flush(session: Session, _context: Any) -> None:
    found = pending(session)
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        kind = _kind(obj)
        if kind == "*":
            found.add(EVERYTHING)
        elif kind is not None and obj.id is not None:
            found.add((kind, obj.id))
    for obj in session.dirty:
        if isinstance(obj, Group) and inspect(obj).attrs.name.history.has_changes():
            found.add(EVERYTHING)  # a renamed group: its meetings' name searches change (rare)


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in TRACKED_TABLES:
        mark_everything(state.session)


def _before_commit(session: Session) -> None:
    session.flush()
    found = session.info.pop(PENDING, None)
    if not found:
        return
    conn = session.connection()
    if has_tables(conn):
        record(conn, found)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def record(conn: Connection, found: set[tuple[str, int]]) -> int:
    """Bump the version and store what it changed; returns the new version."""
    if EVERYTHING in found or len(found) > MAX_IDS:
        found = {EVERYTHING}
    bump = (
        update(STATE)
        .where(STATE.c.id == 1)
        .values(version=STATE.c.version + 1)
        .returning(STATE.c.version)
    )
    version = conn.execute(bump).scalar()
    if version is None:
        version = 1
        conn.execute(insert(STATE).values(id=1, version=version))
    rows = [{"version": version, "kind": k, "entity_id": i} for k, i in sorted(found)]
    conn.execute(insert(CHANGE), rows)
    if version % 100 == 0:
        conn.execute(delete(CHANGE).where(CHANGE.c.version <= version - KEEP_VERSIONS))
    return version


VERSION_SQL = f"SELECT version FROM {STATE.name} WHERE id = 1"  # noqa: S608 (a constant)


def current_version(conn: Connection) -> int:
    """The committed version (0 before the first write).

    Plain SQL: every search runs this, and it skips SQLAlchemy's statement caching work.
    """
    value = conn.exec_driver_sql(VERSION_SQL).scalar()
    return int(value or 0)


SEEN = "finder.committed_version"


def session_version(session: Session) -> int:
    """The committed version as this session's transaction first read it.

    A search reads it for the index, then again for the kept pieces of its answer
    (finder.fragments) and the page's cards: one read a transaction serves them all. A
    write committed after that read is seen by the next request (the change log still
    names it); a commit or rollback in this session starts a new transaction, which
    reads the version afresh.
    """
    conn = session.connection()  # begins the transaction the memo belongs to
    transaction = session.get_transaction()
    seen = session.info.get(SEEN)
    if seen is not None and seen[0] is transaction:
        return cast(int, seen[1])
    version = current_version(conn)
    session.info[SEEN] = (transaction, version)
    return version


def changes_between(conn: Connection, old: int, new: int) -> tuple[set[int], set[int]] | None:
    """(meeting ids, location ids) written by versions old+1..new; None when that is
    unknown (pruned, or "everything") and the index must be rebuilt."""
    if new - old > KEEP_VERSIONS // 2:
        return None
    stmt = select(CHANGE.c.version, CHANGE.c.kind, CHANGE.c.entity_id).where(
        CHANGE.c.version > old, CHANGE.c.version <= new
    )
    meetings: set[int] = set()
    locations: set[int] = set()
    versions: set[int] = set()
    for version, kind, entity_id in conn.execute(stmt):
        versions.add(version)
        if kind == "*":
            return None
        (meetings if kind == "m" else locations).add(int(entity_id))
    if versions != set(range(old + 1, new + 1)):
        return None
    return meetings, locations


def install() -> None:
    """Listen to every Session in this process (idempotent)."""
    hooks = (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_execute),
        ("before_commit", _before_commit),
        ("after_transaction_end", _after_transaction_end),
    )
    for name, hook in hooks:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
