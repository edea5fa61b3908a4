"""The in-memory index stays right after writes from any process.

A second app on the same database stands in for another gunicorn worker or a CLI
import: its writes must show in the first app's next search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from finder import create_app
from finder.db import new_session
from finder.models import Location, Meeting, SearchChange, SearchState
from finder.nearby import Filters, find_hits
from finder.spatial import changes, holder
from finder.spatial.holder import holder_for
from tests.test_nearby_index import NOWS, assert_same, populate, reference

NEW_YORK = (40.7484, -73.9967)
NOW = NOWS[0]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"SEARCH_INDEX": "sync"}


@pytest.fixture
def other(app: Flask) -> Iterator[Session]:
    """A session of another process: its own app, engine and index, same database."""
    second = create_app({**app.config, "SEARCH_INDEX": "sync"})
    with second.app_context():
        session = new_session()
        yield session
        session.close()
    second.extensions["finder.engine"].dispose()


# Inactive meetings too: these tests are about keeping the index current, not filters.
EVERY_MEETING = Filters(attendance=frozenset({"in_person", "online", "hybrid", "inactive"}))


def check(session: Session, lat: float = NEW_YORK[0], lng: float = NEW_YORK[1]) -> list[int]:
    """Search both ways round and compare with the reference; returns the ids found."""
    session.rollback()  # a new transaction, as a new request has
    found: list[int] = []
    for sort in ("soonest", "distance"):
        expected = reference(session, lat, lng, 30.0, EVERY_MEETING, NOW, sort)
        hits = find_hits(session, lat, lng, 30.0, EVERY_MEETING, NOW, sort)
        assert_same(hits, expected)
        found = [h.meeting_id for h in hits]
    return found


def snapshot_of(app: Flask) -> Any:
    return holder_for(app.extensions["finder.engine"]).snapshot


def test_edits_in_another_process_show_in_the_next_search(
    app: Flask, session: Session, other: Session
) -> None:
    populate(session, 21)
    before = check(session)
    moved, unpublished, deleted, retimed = (other.get(Meeting, i) for i in before[:4])
    assert moved and unpublished and deleted and retimed
    moved.location = Location(name="Far", latitude=10.0, longitude=10.0, timezone="UTC")
    unpublished.published = False
    other.delete(deleted)
    retimed.day, retimed.time, retimed.types = 3, dt.time(6, 5), ["W", "NEW-CODE"]
    other.add(Meeting(slug="brand-new", name="New", fellowship=moved.fellowship,
                      location=retimed.location, day=2, time=dt.time(12, 0)))  # fmt: skip
    other.commit()
    after = check(session)
    assert not {moved.id, unpublished.id, deleted.id} & set(after)
    assert retimed.id in after
    assert len(snapshot_of(app).delta) > 0  # replayed, not rebuilt
    new_code = Filters(attendance=EVERY_MEETING.attendance, types=frozenset({"NEW-CODE"}))
    hits = find_hits(session, *NEW_YORK, 30.0, new_code, NOW)
    assert [h.meeting_id for h in hits] == [retimed.id]


def test_moving_a_location_moves_its_meetings(session: Session, other: Session) -> None:
    populate(session, 22)
    before = check(session)
    place = other.get(Meeting, before[0]).location  # type: ignore[union-attr]
    at_place = {m.id for m in place.meetings}
    place.latitude, place.longitude = -33.87, 151.21
    other.commit()
    assert not at_place & set(check(session))
    assert at_place <= set(check(session, -33.87, 151.21))


def test_a_bulk_statement_rebuilds_the_index(session: Session, other: Session) -> None:
    populate(session, 23)
    check(session)
    other.execute(update(Meeting).values(day=4, time=dt.time(7, 0)))
    other.commit()
    check(session)
    hits = find_hits(session, *NEW_YORK, 30.0, Filters(days=frozenset({4})), NOW)
    assert len(hits) == len(find_hits(session, *NEW_YORK, 30.0, Filters(), NOW)) > 0


def test_a_rolled_back_write_changes_nothing(session: Session, other: Session) -> None:
    populate(session, 24)
    before = check(session)
    other.execute(delete(Meeting).where(Meeting.id.in_(before)))
    other.rollback()
    victim = other.get(Meeting, before[0])
    assert victim is not None
    victim.published = False
    other.flush()
    other.rollback()
    assert check(session) == before


def test_own_uncommitted_writes_are_searched_in_sql(session: Session) -> None:
    populate(session, 25)
    first = check(session)[0]
    meeting = session.get(Meeting, first)
    assert meeting is not None
    meeting.published = False
    assert first not in {h.meeting_id for h in find_hits(session, *NEW_YORK, 30.0, Filters(), NOW)}
    session.rollback()
    assert first in {h.meeting_id for h in find_hits(session, *NEW_YORK, 30.0, Filters(), NOW)}


def test_one_commit_is_one_version_listing_its_meetings(session: Session, other: Session) -> None:
    populate(session, 26, count=30)
    version = session.scalar(select(SearchState.version))
    ids = list(other.scalars(select(Meeting.id).limit(3)))
    for meeting in other.scalars(select(Meeting).where(Meeting.id.in_(ids))):
        meeting.name += " (renamed)"
    other.commit()
    session.rollback()
    assert session.scalar(select(SearchState.version)) == (version or 0) + 1
    listed = session.scalars(select(SearchChange.entity_id).where(SearchChange.kind == "m"))
    assert set(ids) <= set(listed)


@pytest.mark.parametrize(
    "tweak",
    [
        lambda mp: mp.setattr(changes, "KEEP_VERSIONS", 4),  # replay log too short: rebuild
        lambda mp: mp.setattr(holder, "COMPACT_MIN", 3),  # delta merged into the sorted part
    ],
)
def test_many_small_writes_stay_right(
    session: Session, other: Session, monkeypatch: pytest.MonkeyPatch, tweak: Callable[..., None]
) -> None:
    tweak(monkeypatch)
    populate(session, 27)
    ids = check(session)
    for n, meeting_id in enumerate(ids[:12]):
        meeting = other.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.day = n % 7
        other.commit()
        if n % 4 == 0:
            check(session)
    check(session)


def test_auto_mode_answers_while_building_and_then_from_the_index(
    app: Flask, session: Session
) -> None:
    keeper = holder_for(app.extensions["finder.engine"])
    keeper.mode = "auto"
    populate(session, 28)
    check(session)
    if keeper._builder is not None:
        keeper._builder.join(30)
    assert keeper.snapshot is not None
    check(session)


def test_a_failed_build_falls_back_to_sql(
    app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    keeper = holder_for(app.extensions["finder.engine"])
    keeper.mode = "auto"

    def broken(*_args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(holder, "load_all", broken)
    populate(session, 29, count=100)
    check(session)
    assert keeper.snapshot is None
    assert session.scalar(select(func.count()).select_from(Meeting)) == 100


@pytest.mark.parametrize("replay_max", [2000, 0])
def test_a_commit_changing_many_meetings(
    session: Session, other: Session, monkeypatch: pytest.MonkeyPatch, replay_max: int
) -> None:
    """Replayed when few, rebuilt when many: the results are the same either way."""
    monkeypatch.setattr(holder, "REPLAY_MAX", replay_max)
    populate(session, 30)
    ids = check(session)
    for n, meeting in enumerate(other.scalars(select(Meeting).where(Meeting.id.in_(ids[:40])))):
        meeting.time = dt.time(n % 24, 10)
        meeting.published = n % 5 != 0
    other.commit()
    check(session)


def test_the_version_is_read_once_a_transaction(session: Session, other: Session) -> None:
    populate(session, 23)
    session.commit()
    first = changes.session_version(session)
    written = other.scalars(select(Meeting)).first()
    assert written is not None
    written.name = "Renamed elsewhere"
    other.commit()
    assert changes.session_version(session) == first  # one read serves the request
    session.rollback()  # the next request: a new transaction reads it afresh
    assert changes.session_version(session) > first
    check(session)  # and the index answers as the database does
