"""Upsert a feed's meetings into the database: keyed by (source, slug), all or nothing.

One import is one transaction: the meetings of the source are loaded in one
query, every row is compared in memory, new rows are inserted in bulk at the
flush, meetings missing from the feed are unpublished (never deleted), and the
commit comes last, so a crash or Ctrl-C leaves the database as it was.

Slugs are the feed's own (see finder.feeds.slugs): a meeting whose slug changed
at its source but kept its id is the same meeting, its old slug redirecting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, selectinload

from finder.catalog import ensure_fellowships
from finder.feeds.record import FeedMeeting, FeedPlace
from finder.feeds.slugs import CHUNK, assign_slugs, rekey_by_feed_id, retire_slug
from finder.models import Group, Location, Meeting, Source, utcnow

Progress = Callable[[int], None]


class ImportRefused(ValueError):
    """The import would do harm (an empty feed would unpublish every meeting)."""


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    unpublished: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class Importer:
    """The state of one import into one source, inside the caller's transaction."""

    def __init__(self, session: Session, source: Source) -> None:
        self.session = session
        self.source = source
        self.counts = Counts()
        self.seen: set[str] = set()
        stmt = (
            select(Meeting)
            .where(Meeting.source_id == source.id)
            .options(selectinload(Meeting.location), selectinload(Meeting.group))
        )
        self.existing = {m.source_key or "": m for m in session.scalars(stmt)}
        self.locations: dict[tuple[Any, ...], Location] = {}
        self.groups: dict[tuple[str, str], Group] = {}
        for meeting in self.existing.values():
            self.locations[FeedPlace.of_location(meeting.location).key()] = meeting.location
            if meeting.group is not None:
                self.groups[(meeting.group.name, meeting.group.notes)] = meeting.group
        self.old_location_ids = {m.location_id for m in self.existing.values()}
        self.old_group_ids = {m.group_id for m in self.existing.values() if m.group_id}
        self.slugs: dict[str, str] = {}
        self.fellowships = ensure_fellowships(session)

    def run(self, records: list[FeedMeeting], progress: Progress | None = None) -> Counts:
        """Apply every record, unpublish the missing, drop orphaned places; no commit."""
        if not records:
            raise ImportRefused(
                "the feed has no importable meeting; nothing was changed "
                "(importing it would unpublish every meeting of this source)"
            )
        rekey_by_feed_id(records, self.existing)
        self.slugs = assign_slugs(self.session, self.source, records, self.existing)
        for record in records:
            self.apply_row(record)
            if progress is not None:
                progress(1)
        self.unpublish_missing()
        self.session.flush()
        self.delete_orphans()
        return self.counts

    def apply_row(self, record: FeedMeeting) -> None:
        """Insert, update or leave one meeting."""
        self.seen.add(record.key)
        location = self.location_for(record.place)
        group = self.group_for(record.group, record.group_notes)
        values = record.meeting_values()
        fellowship = self.fellowships.get(record.fellowship)  # the row's own, else the source's
        fellowship_id = fellowship.id if fellowship else self.source.fellowship_id
        values.update(location=location, group=group, published=True, feed_slug=record.slug,
                      fellowship_id=fellowship_id)  # fmt: skip
        meeting = self.existing.get(record.key)
        if meeting is None:
            meeting = Meeting(slug=self.slugs[record.key], source_id=self.source.id,
                              source_key=record.key, **values)  # fmt: skip
            self.session.add(meeting)
            self.existing[record.key] = meeting
            self.counts.added += 1
            return
        if record.key in self.slugs:
            values["slug"] = self.slugs[record.key]
            retire_slug(self.session, meeting, values["slug"])
        changed = {k: v for k, v in values.items() if not _same(getattr(meeting, k), v)}
        if not changed:
            self.counts.unchanged += 1
            return
        for name, value in changed.items():
            setattr(meeting, name, value)
        self.counts.updated += 1

    def location_for(self, place: FeedPlace) -> Location:
        """The source's Location for this place, shared by meetings with the same place."""
        key = place.key()
        location = self.locations.get(key)
        if location is None:
            fields = place.location_fields()
            fields["regions"] = list(place.regions)
            location = self.locations[key] = Location(**fields)
        return location

    def group_for(self, name: str, notes: str) -> Group | None:
        if not name:
            return None
        group = self.groups.get((name, notes))
        if group is None:
            group = self.groups[(name, notes)] = Group(name=name, notes=notes)
        return group

    def unpublish_missing(self) -> None:
        for key, meeting in self.existing.items():
            if key not in self.seen and meeting.published:
                meeting.published = False
                self.counts.unpublished += 1

    def delete_orphans(self) -> None:
        """Places and groups this source's meetings left (no statement when there are none).

        Skipping needless DELETEs matters: a bulk statement on `location` makes every
        search index reload everything (finder.spatial.changes).
        """
        meetings = self.existing.values()
        left_places = self.old_location_ids - {m.location_id for m in meetings}
        left_groups = self.old_group_ids - {m.group_id for m in meetings if m.group_id}
        for model, ids, column in (
            (Location, sorted(left_places), Meeting.location_id),
            (Group, sorted(left_groups), Meeting.group_id),
        ):
            for start in range(0, len(ids), CHUNK):
                used = exists().where(column == model.id)
                stmt = delete(model).where(model.id.in_(ids[start : start + CHUNK]), ~used)
                self.session.execute(stmt, execution_options={"synchronize_session": False})


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, (Location, Group)) or new is None:
        return old is new
    return bool(old == new)


def finish(source: Source, counts: Counts, extra: dict[str, Any]) -> None:
    """Record the import on its source."""
    source.last_import_at = utcnow()
    source.last_counts = {**counts.as_dict(), **extra}
