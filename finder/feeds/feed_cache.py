"""The built feed, kept per process until a meeting or location changes (or it gets old).

Building the feed reads every published meeting (seconds at 100,000), so the
bytes, their gzip, ETag and Last-Modified are kept and reused while
`search_state.version` (bumped with every meeting and location write, see
finder.spatial.changes) is the one they were built at. Writes that version does
not track (groups, sources) show up once the copy is older than the max age.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from finder.feeds import export
from finder.spatial.changes import current_version, has_tables

DEFAULT_MAX_AGE = 60.0
MAX_ENTRIES = 4  # one per link base; a stranger's Host headers cannot grow it further
Clock = Callable[[], float]


@dataclass(frozen=True)
class BuiltFeed:
    version: int | None
    built_at: float
    plain: bytes
    gzipped: bytes
    etag: str
    modified: dt.datetime | None


def build(session: Session, link_template: str, version: int | None, now: float) -> BuiltFeed:
    """Build the feed's bytes and validators (the slow part)."""
    before, _, after = link_template.partition(export.SLUG_PLACEHOLDER)
    body = export.feed_body(session, export.links(before, after))
    return BuiltFeed(
        version=version,
        built_at=now,
        plain=body,
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        etag=hashlib.sha256(body).hexdigest()[:32],
        modified=export.last_modified(session),
    )


def data_version(session: Session) -> int | None:
    """The committed search_state version (one primary-key read); None without that table."""
    conn = session.connection()
    return current_version(conn) if has_tables(conn) else None


class FeedCache:
    """The last feed built for each link base, reused while the data version stands."""

    def __init__(self, max_age: float = DEFAULT_MAX_AGE, clock: Clock = time.monotonic) -> None:
        self.max_age = max_age
        self.clock = clock
        self.lock = threading.Lock()
        self.entries: dict[str, BuiltFeed] = {}

    def fresh(self, link_template: str, version: int | None) -> BuiltFeed | None:
        entry = self.entries.get(link_template)
        if entry is None or version is None or entry.version != version:
            return None
        return entry if self.clock() - entry.built_at < self.max_age else None

    def get(self, session: Session, link_template: str) -> BuiltFeed:
        """The cached feed when still current, else a new one (built by one thread at a time)."""
        version = data_version(session)  # read before building: a write meanwhile rebuilds
        entry = self.fresh(link_template, version)
        if entry is not None:
            return entry
        with self.lock:
            entry = self.fresh(link_template, version)
            if entry is None:
                entry = build(session, link_template, version, self.clock())
                self.entries.pop(link_template, None)
                while len(self.entries) >= MAX_ENTRIES:
                    self.entries.pop(next(iter(self.entries)))
                self.entries[link_template] = entry
            return entry
