"""Commands: flask --app wsgi import-feed SOURCE, and refresh-feeds (for cron)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from finder.db import missing_tables, new_session
from finder.feeds.detect import FeedFormatError
from finder.feeds.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchError, is_url, read_source
from finder.feeds.importer import ImportRefused, Progress
from finder.feeds.places import geocoder_lookup
from finder.feeds.service import ImportReport, SourceSpec, import_feed
from finder.models import Source

EXPECTED_ERRORS = (FetchError, FeedFormatError, ImportRefused)
ATTEMPTS = 3  # a simultaneous import of the same source: wait for it, then try again


class ImportBusy(Exception):
    """Another import kept the database busy through every attempt."""


@contextmanager
def terminal_progress(label: str, length: int) -> Iterator[Progress | None]:
    """A progress bar when stdout is a terminal; nothing in cron or pipes."""
    if length <= 0 or not sys.stdout.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stdout) as bar:
        yield bar.update


def run_import(spec: SourceSpec) -> ImportReport:
    """Read the feed, then import it with the app's geocoder."""
    config = current_app.config
    data = read_source(
        spec.location,
        timeout=float(config.get("FEED_TIMEOUT", DEFAULT_TIMEOUT)),
        max_bytes=int(config.get("FEED_MAX_BYTES", DEFAULT_MAX_BYTES)),
        opener=current_app.extensions.get("finder.feed_opener"),
        allow_private=bool(config.get("FEED_ALLOW_PRIVATE")),
        context=current_app.extensions.get("finder.feed_tls_context"),
    )
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _import_once(data, spec)
        except (IntegrityError, OperationalError) as exc:
            if missing_tables(exc):  # no schema yet: said plainly (finder.cli), not "busy"
                raise
            # Another import created the same source, or holds SQLite's write lock.
            if attempt == ATTEMPTS:
                raise ImportBusy(
                    "another import changed the same source or kept the database busy; "
                    f"nothing was changed, try again when it ends ({type(exc.orig).__name__})"
                ) from exc
    raise AssertionError("unreachable")


def _import_once(data: bytes, spec: SourceSpec) -> ImportReport:
    session = new_session()
    try:
        with geocoder_lookup(current_app.extensions.get("finder.geocoder")) as lookup:
            return import_feed(session, data, spec, lookup, terminal_progress)
    finally:
        session.close()


def echo_report(report: ImportReport) -> None:
    for row in report.rejected:
        click.echo(f"rejected {row}")
    for row in report.warnings:
        click.echo(f"warning  {row}")
    if report.geocoded:
        click.echo(f"geocoded {report.geocoded} addresses")
    click.echo(report.summary())
    if report.hint:
        click.echo(report.hint)


@click.command("import-feed")
@click.argument("source")
@click.option("--fellowship", metavar="CODE", help="Fellowship code (aa, na, ...) of the meetings.")
@click.option("--name", help="The source's name (default: from the URL or file name).")
@with_appcontext
def import_feed_command(source: str, fellowship: str | None, name: str | None) -> None:
    """Import a Meeting Guide, TSML, BMLT or CSV feed from a file or an https URL."""
    location = source.strip() if is_url(source) else str(Path(source).expanduser().resolve())
    try:
        report = run_import(SourceSpec(location, name, fellowship.lower() if fellowship else None))
    except (*EXPECTED_ERRORS, ImportBusy) as exc:
        echo_rejected(exc)
        raise click.ClickException(str(exc)) from exc
    echo_report(report)


def echo_rejected(exc: Exception) -> None:
    """Each rejected row and why, when a feed had none to import."""
    for row in getattr(exc, "rejected", ()):
        click.echo(f"rejected {row}")


@click.command("refresh-feeds")
@with_appcontext
def refresh_feeds_command() -> None:
    """Re-import every registered feed that has an https URL (fit for cron)."""
    session = new_session()
    try:
        stmt = select(Source.name, Source.url).where(Source.kind == "feed").order_by(Source.name)
        sources = [(n, u) for n, u in session.execute(stmt) if u and u.startswith("https://")]
    finally:
        session.close()
    if not sources:
        click.echo("No feed with an https URL is registered; nothing to refresh.")
        return
    outcomes = [(name, refresh_one(name, url)) for name, url in sources]
    click.echo("Summary:")
    for name, outcome in outcomes:
        click.echo(f"  {name}: {outcome}")
    failed = sum(1 for _name, outcome in outcomes if outcome.startswith("failed"))
    if failed:
        raise click.ClickException(f"{failed} of {len(sources)} feeds failed")


def refresh_one(name: str, url: str) -> str:
    """Re-import one source; whatever goes wrong, one line says so and the next source goes on."""
    try:
        report = run_import(SourceSpec(url, name))
    except (*EXPECTED_ERRORS, ImportBusy) as exc:
        echo_rejected(exc)
        reason = str(exc)
    except Exception as exc:  # an unforeseen failure must not stop the other sources
        reason = f"{type(exc).__name__}: {str(exc)[:300]}"
    else:
        echo_report(report)
        c = report.counts
        return f"ok ({c.added} added, {c.updated} updated, {len(report.rejected)} rejected)"
    click.echo(f"{name}: failed, nothing changed: {reason}", err=True)
    return f"failed: {reason}"
