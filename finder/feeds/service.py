"""One import from start to end: read the feed, place its meetings, register the source, upsert."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from finder.catalog import ensure_fellowships
from finder.feeds.detect import FORMAT_NAMES, ParsedFeed, parse_feed
from finder.feeds.duplicates import mark_duplicates
from finder.feeds.importer import Counts, Importer, ImportRefused, Progress, finish
from finder.feeds.places import Lookup, Placed, failure_summary, place_meetings
from finder.feeds.record import RowReport
from finder.models import Source

# (label, length) -> a context manager giving the callable that advances a progress bar.
ProgressFactory = Callable[[str, int], AbstractContextManager[Progress | None]]
MAX_NAME, MAX_LOCATION = 200, 2000  # Source.name, Source.url
IMPORT_LOCK = 0x66696E64  # PostgreSQL advisory lock: one import writes at a time
DEFAULT_FELLOWSHIP = {"bmlt": "na"}  # BMLT is Narcotics Anonymous' tool; the rest default to AA


@dataclass
class SourceSpec:
    """What the operator named: where the feed is, and optionally its name and fellowship."""

    location: str
    name: str | None = None
    fellowship: str | None = None


@dataclass
class ImportReport:
    source_name: str
    format: str
    rows: int
    counts: Counts
    rejected: list[RowReport] = field(default_factory=list)
    warnings: list[RowReport] = field(default_factory=list)
    geocoded: int = 0
    seconds: float = 0.0
    not_found: int = 0

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.source_name}: {self.rows} rows of {FORMAT_NAMES[self.format]} in "
            f"{self.seconds:.2f} s: {c.added} added, {c.updated} updated, "
            f"{c.unchanged} unchanged, {c.unpublished} unpublished, {len(self.rejected)} rejected"
        )

    @property
    def hint(self) -> str:
        """What to do when rows were lost because no geocoder found their address."""
        if not self.not_found:
            return ""
        return (
            f"{self.not_found} rows were rejected because their address was not found; the "
            "offline geocoder knows US ZIP codes, US cities and world cities only: set "
            "GEOCODER=nominatim (with GEOCODER_USER_AGENT) to look up street addresses"
        )


class NothingImportable(ImportRefused):
    """Every row of the feed was rejected; `rejected` says why, row by row."""

    def __init__(self, message: str, rejected: list[RowReport]) -> None:
        super().__init__(message)
        self.rejected = rejected


def no_progress(_label: str, _length: int) -> AbstractContextManager[Progress | None]:
    return nullcontext(None)


def import_feed(
    session: Session,
    data: bytes,
    spec: SourceSpec,
    lookup: Lookup,
    progress: ProgressFactory = no_progress,
) -> ImportReport:
    """Import a feed's bytes into its source in one transaction, committed at the end."""
    started = time.perf_counter()
    parsed = parse_feed(data)
    missing = sum(1 for m in parsed.meetings if not m.place.has_point)
    with progress("Geocoding", missing) as advance:
        placed = place_meetings(parsed.meetings, lookup, advance if missing else None)
    if parsed.rows and not placed.meetings:
        rejected = sorted(parsed.rejected + placed.rejected, key=lambda r: r.index)
        summary = failure_summary(parsed.rows, len(rejected), placed)
        raise NothingImportable(summary, rejected)
    report = _write(session, spec, parsed, placed, progress)
    report.seconds = time.perf_counter() - started
    return report


def _write(
    session: Session, spec: SourceSpec, parsed: ParsedFeed, placed: Placed,
    progress: ProgressFactory,
) -> ImportReport:  # fmt: skip
    try:
        wait_for_other_imports(session)
        source = register_source(session, spec, parsed.format)
        with progress("Importing", len(placed.meetings)) as advance:
            counts = Importer(session, source).run(placed.meetings, advance)
        session.flush()
        duplicates = mark_duplicates(session)
        rejected = sorted(parsed.rejected + placed.rejected, key=lambda r: r.index)
        finish(source, counts, {"rejected": len(rejected), "rows": parsed.rows,
                                "format": parsed.format, "duplicates": duplicates})  # fmt: skip
        session.commit()
    except BaseException:
        session.rollback()
        raise
    warnings = sorted(placed.warnings, key=lambda r: r.index)
    return ImportReport(source.name, parsed.format, parsed.rows, counts, rejected, warnings,
                        placed.geocoded, not_found=placed.not_found)  # fmt: skip


def wait_for_other_imports(session: Session) -> None:
    """Two imports creating the same source at once: the second waits for the first.

    SQLite has one writer anyway (the loser retries, see cli.run_import); PostgreSQL
    takes a transaction-scoped advisory lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL lock_timeout = 0"))  # an import may wait its turn
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


def register_source(session: Session, spec: SourceSpec, feed_format: str) -> Source:
    """The feed's Source: found by --name, else by URL, else created; fellowship set."""
    fellowships = ensure_fellowships(session)
    if spec.fellowship and spec.fellowship not in fellowships:
        known = ", ".join(sorted(fellowships))
        raise ImportRefused(f"unknown fellowship {spec.fellowship!r}; use one of {known}")
    if len(spec.name or "") > MAX_NAME or len(spec.location) > MAX_LOCATION:
        raise ImportRefused(
            f"the source's name (at most {MAX_NAME} characters) or URL or path "
            f"(at most {MAX_LOCATION}) is too long"
        )
    if spec.name:
        source = session.scalar(select(Source).where(Source.name == spec.name))
    else:
        source = session.scalar(
            select(Source).where(Source.url == spec.location, Source.kind == "feed")
        )
    if source is None:
        source = Source(name=spec.name or _free_name(session, default_name(spec.location)),
                        kind="feed", last_counts={})  # fmt: skip
        session.add(source)
    elif source.kind != "feed":
        raise ImportRefused(f"the source {source.name!r} is not a feed; choose another --name")
    source.url = spec.location
    code = spec.fellowship or (
        source.fellowship.code if source.fellowship else DEFAULT_FELLOWSHIP.get(feed_format, "aa")
    )
    source.fellowship = fellowships[code]
    session.flush()
    return source


def default_name(location: str) -> str:
    """A source name from its URL's host and path, or a file's name."""
    parts = urlsplit(location)
    if parts.scheme in {"http", "https"}:
        return f"{parts.netloc}{parts.path}".rstrip("/")[: MAX_NAME - 8]
    return Path(location).stem[: MAX_NAME - 8] or "feed"  # room for " (9999)"


def _free_name(session: Session, name: str) -> str:
    taken = set(session.scalars(select(Source.name).where(Source.name.startswith(name))))
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate
