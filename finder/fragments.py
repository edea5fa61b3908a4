"""Per-meeting pieces of answers (the meeting stand-in, encoded API JSON, card HTML), kept while
the meeting is unchanged.

A search result's meeting looks the same until it, its location or its group changes;
only distance, next start and the visitor's own star differ per request. Pieces are
kept per process and per database, valid at one `search_state` version: when the
version moves on, the change log (finder.spatial.changes) names the meetings and
locations written, and only their pieces are dropped (everything, when it cannot say).
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Hashable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from finder.models import Fellowship, Location, Meeting
from finder.spatial.changes import PENDING, changes_between, has_tables, session_version
from finder.spatial.loader import meetings_at

MAX_MEETINGS = 10_000  # meetings with pieces kept (a few MB); past it the cache starts over

Pieces = dict[Hashable, Any]


class FragmentCache:
    """Pieces by meeting id, then by what they are (kind, language, shape...)."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.by_meeting: dict[int, Pieces] = {}
        self.lock = threading.Lock()
        self.dropped = 0  # meetings whose pieces a write dropped (tests read it)
        self.shared: dict[str, Any] = {}  # small tables read once a version (standins.py)

    def pieces(self, meeting_id: int) -> Pieces:
        found = self.by_meeting.get(meeting_id)
        if found is None:
            if len(self.by_meeting) >= MAX_MEETINGS:
                self.by_meeting = {}
            found = self.by_meeting[meeting_id] = {}
        return found

    def catch_up(self, session: Session, version: int) -> None:
        """Drop what changed between the cached version and `version`."""
        with self.lock:
            if self.version == version:
                return
            self.shared = {}
            changed = None
            if self.version is not None and version > self.version:
                conn = session.connection()
                changed = changes_between(conn, self.version, version)
                if changed is not None:
                    meetings, locations = changed
                    for meeting_id in meetings | meetings_at(conn, locations):
                        self.dropped += self.by_meeting.pop(meeting_id, None) is not None
            if changed is None:
                self.by_meeting = {}
            self.version = version


_caches: weakref.WeakKeyDictionary[Engine, FragmentCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def fragment_cache(session: Session) -> FragmentCache | None:
    """This database's cache brought up to the committed version; None when it cannot be
    used (a session holding its own uncommitted meeting writes, or no search_state table).

    Call it before reading rows: a write committed meanwhile is then dropped next time."""
    written = itertools.chain(session.new, session.dirty, session.deleted)
    if session.info.get(PENDING) or any(
        isinstance(o, Meeting | Location | Fellowship) for o in written
    ):
        return None
    conn = session.connection()
    if not has_tables(conn):
        return None
    with _caches_lock:
        cache = _caches.setdefault(conn.engine, FragmentCache())
    cache.catch_up(session, session_version(session))
    return cache
