"""One search index per database in this process: built lazily, kept current on every search.

Each search reads search_state.version (one primary-key lookup). Equal to the index's:
use it. Ahead by a few versions: replay the changed meetings into a new snapshot (a
handful of primary-key reads). Unknown changes (a bulk import, a pruned log): build a new one
from scratch in a background thread while searches use the previous index, marked
stale, for that one rebuild (never after a failed one: then SQL answers). No index
yet: SQL answers while the first is built, so a fresh process never blocks on a load.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import replace

import numpy as np
from sqlalchemy import Connection, Engine

from finder.spatial.changes import changes_between, current_version, has_tables
from finder.spatial.columns import Vocabulary
from finder.spatial.index import Snapshot, apply, build
from finder.spatial.loader import fellowship_ids, load_all, load_ids, meetings_at

log = logging.getLogger(__name__)

MODES = ("auto", "sync", "off")  # background build / build in the request / SQL only
FIRST_BUILD_WAIT = 0.25  # seconds a search waits for a first build before using SQL
COMPACT_MIN = 20_000  # rows in the delta before it is merged into the sorted part
REPLAY_MAX = 2_000  # more changed meetings than this (or 5 %) are cheaper to rebuild


class IndexHolder:
    """The current snapshot for one engine, and the means to refresh it."""

    def __init__(self, engine: Engine, mode: str = "auto") -> None:
        self.engine = engine
        self.mode = mode
        self.snapshot: Snapshot | None = None
        self.last_build_seconds: float | None = None
        self._lock = threading.RLock()
        self._builder: threading.Thread | None = None
        self.build_failed = False  # the last background build failed: no stale answers

    def get(self, conn: Connection, version: int | None = None) -> Snapshot | None:
        """An index as new as the committed data (`version`, read here when not given),
        or None: then search with SQL."""
        if self.mode not in ("auto", "sync") or not has_tables(conn):
            return None
        if version is None:
            version = current_version(conn)
        snap = self.snapshot
        if snap is not None and snap.version >= version:
            return snap
        if snap is not None and not self.building:
            fresh = self._catch_up(conn, version)
            if fresh is not None:
                return fresh
        return self._rebuilt(conn, version)

    @property
    def building(self) -> bool:
        return self._builder is not None and self._builder.is_alive()

    def _catch_up(self, conn: Connection, version: int) -> Snapshot | None:
        with self._lock:
            snap = self.snapshot
            if snap is None or snap.version >= version:
                return snap
            changed = changes_between(conn, snap.version, version)
            if changed is None:
                return None
            meetings, locations = changed
            ids = meetings | meetings_at(conn, locations)
            if len(ids) > max(REPLAY_MAX, snap.size // 20):
                return None
            fresh = load_ids(conn, snap.vocab, ids)
            compact_at = max(COMPACT_MIN, len(snap.main) // 50)
            changed_ids = np.array(sorted(ids), dtype=np.int64)
            self.snapshot = apply(snap, version, changed_ids, fresh, compact_at)
            return self.snapshot

    def _rebuilt(self, conn: Connection, version: int) -> Snapshot | None:
        if self.mode == "sync":
            with self._lock:
                self.snapshot = self.build(conn)
                return self.snapshot
        first = self.snapshot is None
        builder = self._start_builder()
        if first:
            builder.join(FIRST_BUILD_WAIT)
        snap = self.snapshot
        if snap is not None and snap.version >= version:
            return snap
        if snap is not None and builder.is_alive() and not self.build_failed:
            return replace(snap, stale=True)  # the newest built index, until the next one
        return None

    def _start_builder(self) -> threading.Thread:
        with self._lock:
            if self._builder is None or not self._builder.is_alive():
                self._builder = threading.Thread(
                    target=self._build_in_background, name="finder-search-index", daemon=True
                )
                self._builder.start()
            return self._builder

    def _build_in_background(self) -> None:
        try:
            with self.engine.connect() as conn:
                snap = self.build(conn)
        except Exception:
            self.build_failed = True
            log.exception("search index: build failed; searches use SQL meanwhile")
            return
        with self._lock:
            self.build_failed = False
            if self.snapshot is None or self.snapshot.version <= snap.version:
                self.snapshot = snap

    def build(self, conn: Connection) -> Snapshot:
        """A new snapshot of everything published (does not install it)."""
        started = time.perf_counter()
        version = current_version(conn)
        vocab = Vocabulary()
        snap = build(version, load_all(conn, vocab), vocab, fellowship_ids(conn))
        self.last_build_seconds = time.perf_counter() - started
        log.info(
            "search index: %d meetings at version %d built in %.2f s",
            snap.size,
            version,
            self.last_build_seconds,
        )
        return snap

    def warm(self) -> Snapshot | None:
        """Build now, in this thread (gunicorn's master before it forks workers)."""
        if self.mode == "off":
            return None
        with self.engine.connect() as conn:
            if not has_tables(conn):
                return None
            snap = self.build(conn)
        with self._lock:
            self.snapshot = snap
        return snap


_holders: weakref.WeakKeyDictionary[Engine, IndexHolder] = weakref.WeakKeyDictionary()
_holders_lock = threading.Lock()


def holder_for(engine: Engine) -> IndexHolder:
    """The holder of this engine's index (created on first use)."""
    with _holders_lock:
        holder = _holders.get(engine)
        if holder is None:
            holder = _holders[engine] = IndexHolder(engine)
        return holder
