"""Helpers for the feed tests: run an import, read meetings back, snapshot the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.db import new_session
from finder.feeds.places import Lookup, geocoder_lookup
from finder.feeds.service import ImportReport, SourceSpec, import_feed
from finder.models import Base, Meeting, Source

DATA = Path(__file__).resolve().parent / "data"
REALDATA = DATA / "real"  # the real feeds, kept in the repository (see SOURCES.md there)
SEPIA = REALDATA / "aasepia-meeting-guide.json"
OC_TSML = REALDATA / "oc-aa-tsml.json"
GNYR_BMLT = REALDATA / "gnyr-na-bmlt.json"


def run_import(
    app: Flask,
    feed: Path | bytes,
    *,
    location: str = "",
    name: str | None = None,
    fellowship: str | None = None,
    lookup: Lookup | None = None,
) -> ImportReport:
    """Import a feed file (or bytes) the way import-feed does, with the app's geocoder."""
    data = feed.read_bytes() if isinstance(feed, Path) else feed
    spec = SourceSpec(location or (str(feed) if isinstance(feed, Path) else "test.json"),
                      name, fellowship)  # fmt: skip
    with app.app_context():
        session = new_session()
        try:
            with geocoder_lookup(app.extensions["finder.geocoder"]) as app_lookup:
                return import_feed(session, data, spec, lookup or app_lookup)
        finally:
            session.close()


def import_rows(app: Flask, rows: list[Any], name: str = "rows", **kwargs: Any) -> ImportReport:
    """Import a Meeting Guide feed given as Python rows."""
    return run_import(app, json.dumps(rows).encode(), location=f"{name}.json", name=name, **kwargs)


def meetings_of(session: Session, source_name: str) -> dict[str, Meeting]:
    """A source's meetings (published or not) by their key in the feed."""
    session.expire_all()
    stmt = (
        select(Meeting)
        .join(Source, Meeting.source_id == Source.id)
        .where(Source.name == source_name)
        .options(joinedload(Meeting.location), joinedload(Meeting.group))
    )
    return {m.source_key or "": m for m in session.scalars(stmt).unique()}


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged database."""
    session.expire_all()
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        rows = session.execute(select(table)).all()
        tables[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return tables


def load_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))
