"""The built feed, kept per process until a meeting or location changes (or it gets old).

Building reads every published meeting through one Core query a chunk at a time
(feed_stream), serialises and gzips as it goes, and keeps only the gzipped bytes:
a 100,000-meeting feed is about 60 MB of JSON but 5-9 MB compressed, so a build needs
little more memory than its result. The bytes, ETag and Last-Modified are reused while
`search_state.version` (bumped with every meeting, location and group-name write, see
finder.spatial.changes) is the one they were built at; writes it does not track
(group notes, sources) show up once the copy is older than the max age.

Meeting URLs are absolute, so a feed belongs to a link base (PUBLIC_BASE_URL, else
the request's host). Another base never rebuilds from the database: its copy is
derived from a cached one by streaming it through a replace of `"url":"<old base>`
(the only place a base appears), and at most MAX_ENTRIES copies are kept.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session
from zlib_ng import zlib_ng

from finder.feeds import export
from finder.feeds.feed_stream import Scope, feed_chunks
from finder.spatial.changes import current_version, has_tables

DEFAULT_MAX_AGE = 600.0
MAX_ENTRIES = 8  # (base, scope) copies; a stranger's Host headers cannot grow it further
GZIP_LEVEL = 3  # 100,000 meetings: ~4x faster than level 6 for ~15 % more bytes
GZIP = 31  # zlib wbits for the gzip container
PIECE = 256 * 1024  # bytes handed to the client at a time
EVERY_MEETING = Scope()
Clock = Callable[[], float]
Key = tuple[str, Scope]


@dataclass(frozen=True)
class BuiltFeed:
    version: int | None
    built_at: float
    base: str
    gzipped: bytes
    size: int  # bytes of the plain JSON
    etag: str
    modified: dt.datetime | None

    def plain_pieces(self) -> Iterator[bytes]:
        """The plain JSON, decompressed a piece at a time (for clients without gzip)."""
        inflate = zlib_ng.decompressobj(GZIP)
        for start in range(0, len(self.gzipped), PIECE // 8):
            piece = inflate.decompress(self.gzipped[start : start + PIECE // 8])
            if piece:
                yield piece
        tail = inflate.flush()
        if tail:
            yield tail

    @property
    def plain(self) -> bytes:
        return b"".join(self.plain_pieces())


def _packed(pieces: Iterable[bytes]) -> tuple[bytes, int, str]:
    """(gzip bytes, plain size, ETag) of a stream of plain pieces, holding only the gzip.

    A piece is hashed and compressed in a second thread while the next one is made:
    zlib-ng and hashlib let go of the GIL while they work, so the two overlap.
    """
    deflate = zlib_ng.compressobj(GZIP_LEVEL, zlib_ng.DEFLATED, GZIP)
    digest = hashlib.sha256()

    def squeeze(piece: bytes) -> bytes:
        digest.update(piece)
        return deflate.compress(piece)

    out: list[Future[bytes]] = []
    size = 0
    with ThreadPoolExecutor(max_workers=1) as worker:  # one worker: pieces stay in order
        for piece in pieces:
            if out:
                out[-1].result()  # one piece waiting at most: memory stays bounded
            size += len(piece)
            out.append(worker.submit(squeeze, piece))
    packed = [done.result() for done in out]
    packed.append(deflate.flush())
    return b"".join(packed), size, digest.hexdigest()[:32]


def url_marker(base: str) -> bytes:
    """How a meeting URL on this base starts in the JSON (json.dumps escaping included)."""
    return b'"url":' + json.dumps(base, ensure_ascii=False).encode("utf-8")[:-1]


def rebased(pieces: Iterable[bytes], old: str, new: str) -> Iterator[bytes]:
    """The pieces with every meeting URL's base changed, matches across pieces included."""
    before, after = url_marker(old), url_marker(new)
    carry = b""
    for piece in pieces:
        text = (carry + piece).replace(before, after)
        # Hold back what could start a marker cut by the piece's end, never replaced text
        # (a new base that extends the old one must not be replaced twice).
        cut = max(len(text) - (len(before) - 1), 0)
        last = text.rfind(after)
        if last != -1:
            cut = max(cut, last + len(after))
        carry, text = text[cut:], text[:cut]
        if text:
            yield text
    if carry:
        yield carry


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile; back on after if it was on before.

    A build makes a few hundred thousand short-lived containers and no garbage cycles:
    the collections they set off find nothing, yet rescan the whole heap (~10 % of a build).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def build(
    session: Session, base: str, path_template: str, scope: Scope, version: int | None, now: float
) -> BuiltFeed:
    """Build the feed's bytes and validators from the database (the slow part)."""
    before, _, after = path_template.partition(export.SLUG_PLACEHOLDER)
    link_for = export.links(base + before, after)
    with collection_paused():
        gzipped, size, etag = _packed(feed_chunks(session, link_for, scope))
    return BuiltFeed(version, now, base, gzipped, size, etag, export.last_modified(session))


def derive(feed: BuiltFeed, base: str, now: float) -> BuiltFeed:
    """The same feed on another link base, without the database."""
    gzipped, size, etag = _packed(rebased(feed.plain_pieces(), feed.base, base))
    return BuiltFeed(feed.version, now, base, gzipped, size, etag, feed.modified)


def data_version(session: Session) -> int | None:
    """The committed search_state version (one primary-key read); None without that table."""
    conn = session.connection()
    return current_version(conn) if has_tables(conn) else None


class FeedCache:
    """The last feed built for each (link base, scope), reused while the data version stands."""

    def __init__(self, max_age: float = DEFAULT_MAX_AGE, clock: Clock = time.monotonic) -> None:
        self.max_age = max_age
        self.clock = clock
        self.lock = threading.Lock()
        self.entries: OrderedDict[Key, BuiltFeed] = OrderedDict()
        self.builds = 0  # from the database
        self.derived = 0  # from another base's copy

    def fresh(self, key: Key, version: int | None) -> BuiltFeed | None:
        entry = self.entries.get(key)
        if entry is None or version is None or entry.version != version:
            return None
        return entry if self.clock() - entry.built_at < self.max_age else None

    def _sibling(self, scope: Scope, version: int | None) -> BuiltFeed | None:
        """A fresh copy of the same scope on another base."""
        for (base, other), _ in list(self.entries.items()):
            if other == scope:
                found = self.fresh((base, other), version)
                if found is not None:
                    return found
        return None

    def get(
        self, session: Session, base: str, path_template: str, scope: Scope = EVERY_MEETING
    ) -> BuiltFeed:
        """The cached feed when still current, else a new one (made by one thread at a time)."""
        version = data_version(session)  # read before building: a write meanwhile rebuilds
        key = (base, scope)
        entry = self.fresh(key, version)
        if entry is not None:
            return entry
        with self.lock:
            entry = self.fresh(key, version)
            if entry is None:
                entry = self._make(session, base, path_template, scope, version)
                self.entries.pop(key, None)
                while len(self.entries) >= MAX_ENTRIES:
                    self.entries.popitem(last=False)
                self.entries[key] = entry
            return entry

    def _make(
        self, session: Session, base: str, path_template: str, scope: Scope, version: int | None
    ) -> BuiltFeed:
        sibling = self._sibling(scope, version)
        if sibling is not None:
            self.derived += 1
            return derive(sibling, base, sibling.built_at)  # ages with the copy it came from
        self.builds += 1
        return build(session, base, path_template, scope, version, self.clock())
