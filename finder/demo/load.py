"""Writing demo data to the database: replace or remove the demo source's rows, nothing else."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from finder.catalog import ensure_fellowships
from finder.demo.generate import DemoData
from finder.models import Group, Location, Meeting, Source, utcnow

DEMO_SOURCE_NAME = "Demo data"
BATCH = 1000


@dataclass(frozen=True)
class LoadCounts:
    meetings: int
    locations: int
    groups: int
    removed_meetings: int


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def any_meetings(session: Session) -> bool:
    return session.scalar(select(Meeting.id).limit(1)) is not None


def demo_source(session: Session) -> Source:
    """The one source every demo meeting belongs to, created on first use."""
    source = session.scalars(select(Source).where(Source.kind == "demo")).first()
    if source is None:
        source = Source(kind="demo", name=DEMO_SOURCE_NAME)
        session.add(source)
        session.flush()
    return source


@dataclass(frozen=True)
class RemoveCounts:
    meetings: int
    locations: int
    groups: int


def clear_demo(session: Session, source_id: int) -> RemoveCounts:
    """Delete the demo meetings, then their locations and groups nothing else uses."""
    rows = session.execute(
        select(Meeting.location_id, Meeting.group_id).where(Meeting.source_id == source_id)
    ).all()
    session.execute(
        delete(Meeting).where(Meeting.source_id == source_id),
        execution_options={"synchronize_session": False},
    )
    location_ids = sorted({r.location_id for r in rows})
    group_ids = sorted({r.group_id for r in rows if r.group_id is not None})
    locations = _delete_unused(session, Location, Meeting.location_id, location_ids)
    groups = _delete_unused(session, Group, Meeting.group_id, group_ids)
    return RemoveCounts(len(rows), locations, groups)


def _delete_unused(session: Session, model: Any, column: Any, ids: list[int]) -> int:
    """Delete the rows with these ids that no meeting refers to; how many went."""
    deleted = 0
    for chunk in _chunks(ids):
        unused = ~exists().where(column == model.id)
        result = session.execute(
            delete(model).where(model.id.in_(chunk), unused),
            execution_options={"synchronize_session": False},
        )
        deleted += int(getattr(result, "rowcount", 0) or 0)
    return deleted


def remove_demo(session: Session) -> RemoveCounts | None:
    """Delete the demo source with its meetings and the places and groups only they used.

    Meetings of every other source are never touched; None when there is no demo data.
    """
    sources = session.scalars(select(Source).where(Source.kind == "demo")).all()
    if not sources:
        return None
    total = RemoveCounts(0, 0, 0)
    for source in sources:
        counts = clear_demo(session, source.id)
        total = RemoveCounts(total.meetings + counts.meetings,
                             total.locations + counts.locations,
                             total.groups + counts.groups)  # fmt: skip
        session.delete(source)
    session.commit()
    return total


def _insert_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in batches; their new ids in the same order."""
    ids: list[int] = []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    for chunk in _chunks(rows):
        ids.extend(session.scalars(stmt, list(chunk)).all())
    return ids


def load_demo(session: Session, data: DemoData) -> LoadCounts:
    """Replace every demo meeting with `data`; other sources' meetings are never touched."""
    fellowships = ensure_fellowships(session)
    source = demo_source(session)
    removed = clear_demo(session, source.id).meetings
    location_rows = [
        {
            "name": loc.name, "address": loc.address, "city": loc.city, "state": loc.state,
            "postal_code": loc.postal_code, "country": "US",
            "formatted_address": loc.formatted_address, "latitude": loc.latitude,
            "longitude": loc.longitude, "approximate": loc.approximate,
            "timezone": loc.timezone, "regions": list(loc.regions), "notes": loc.notes,
        }
        for loc in data.locations
    ]  # fmt: skip
    location_ids = dict(
        zip((loc.key for loc in data.locations), _insert_ids(session, Location, location_rows),
            strict=True)
    )  # fmt: skip
    group_rows = [{"name": g.name, "notes": ""} for g in data.groups]
    group_ids = dict(
        zip((g.key for g in data.groups), _insert_ids(session, Group, group_rows), strict=True)
    )
    meeting_rows = [
        {
            "slug": m.slug, "name": m.name, "fellowship_id": fellowships[m.fellowship].id,
            "group_id": group_ids.get(m.group_key) if m.group_key is not None else None,
            "location_id": location_ids[m.location_key], "day": m.day, "time": m.time,
            "end_time": m.end_time, "types": list(m.types), "notes": m.notes,
            "conference_url": m.conference_url, "conference_url_notes": m.conference_url_notes,
            "conference_phone": m.conference_phone,
            "conference_phone_notes": m.conference_phone_notes,
            "source_id": source.id, "source_key": m.slug,
        }
        for m in data.meetings
    ]  # fmt: skip
    for chunk in _chunks(meeting_rows):
        session.execute(insert(Meeting), list(chunk))
    source.last_import_at = utcnow()
    source.last_counts = {"meetings": len(meeting_rows), "locations": len(location_rows)}
    session.commit()
    return LoadCounts(len(meeting_rows), len(location_rows), len(group_rows), removed)
