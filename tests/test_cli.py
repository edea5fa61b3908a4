"""The demo-data command: loads, replaces only demo data, respects --if-empty, --remove."""

from __future__ import annotations

import pytest
from sqlalchemy import exists, func, select

from finder import create_app
from finder.db import new_session
from finder.geo import haversine_km
from finder.models import Base, Group, Location, Meeting, Source


def demo_data(runner, *args: str):
    result = runner.invoke(args=["demo-data", *args])
    assert result.exit_code == 0, result.output
    return result


def count(session, *where) -> int:
    session.rollback()  # see what the command committed
    return session.scalar(select(func.count()).select_from(Meeting).where(*where))


def snapshot(app) -> list[tuple]:
    with app.app_context():
        session = new_session()
        rows = session.execute(
            select(Meeting.slug, Meeting.day, Meeting.time, Meeting.end_time, Meeting.name,
                   Location.formatted_address, Location.latitude, Location.longitude)
            .join(Location).order_by(Meeting.slug)
        ).all()  # fmt: skip
        session.close()
    return [tuple(r) for r in rows]


def test_loads_meetings_under_one_demo_source(runner, session):
    result = demo_data(runner, "--count", "150")
    assert "Loaded 150 demo meetings" in result.output
    assert "Attendance: in_person" in result.output
    sources = session.scalars(select(Source)).all()
    assert [(s.kind, s.name) for s in sources] == [("demo", "Demo data")]
    assert count(session, Meeting.source_id == sources[0].id) == 150
    assert count(session) == 150


def test_same_seed_gives_the_same_meetings_in_a_fresh_database(app, runner):
    demo_data(runner, "--count", "120", "--seed", "42")
    first = snapshot(app)
    engine = app.extensions["finder.engine"]
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    demo_data(runner, "--count", "120", "--seed", "42")
    assert snapshot(app) == first
    assert len(first) == 120
    demo_data(runner, "--count", "120", "--seed", "43")
    assert [r[0] for r in snapshot(app)] != [r[0] for r in first]


def test_if_empty_loads_an_empty_database_once(runner, session):
    demo_data(runner, "--count", "80", "--if-empty")
    slugs = set(session.scalars(select(Meeting.slug)))
    result = demo_data(runner, "--count", "80", "--if-empty")
    assert "left as it is" in result.output
    session.rollback()
    assert set(session.scalars(select(Meeting.slug))) == slugs
    assert count(session) == 80


def test_if_empty_leaves_a_database_with_other_meetings_alone(runner, session, make_meeting):
    make_meeting(name="Real Meeting")
    result = demo_data(runner, "--if-empty")
    assert "left as it is" in result.output
    assert count(session) == 1


def test_rerun_replaces_only_demo_meetings(runner, session, make_meeting):
    feed = Source(kind="feed", name="Some Intergroup", url="https://example.org/feed.json")
    make_meeting(name="Feed Meeting", slug="feed-meeting", source=feed)
    demo_data(runner, "--count", "150")
    make_meeting(name="Local Meeting", slug="local-meeting")
    result = demo_data(runner, "--count", "90", "--seed", "9")
    assert "Replaced 150 earlier demo meetings" in result.output
    demo = session.scalar(select(Source.id).where(Source.kind == "demo"))
    assert count(session, Meeting.source_id == demo) == 90
    others = session.scalars(select(Meeting.slug).where(Meeting.slug.not_like("demo-%")))
    assert sorted(others) == ["feed-meeting", "local-meeting"]
    orphans = (
        select(func.count())
        .select_from(Location)
        .where(~exists().where(Meeting.location_id == Location.id))
    )
    assert session.scalar(orphans) == 0


def test_manhattan_has_meetings_near_zip_10001(runner, session):
    demo_data(runner, "--count", "400")
    points = session.execute(
        select(Location.latitude, Location.longitude)
        .join(Meeting)
        .where(Location.city == "New York")
    ).all()
    assert sum(haversine_km(40.7484, -73.9967, lat, lng) <= 2 for lat, lng in points) >= 10


def test_bad_count_is_refused(runner):
    result = runner.invoke(args=["demo-data", "--count", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--count'" in result.output


def test_a_database_without_schema_says_to_run_init_db(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["demo-data", "--count", "5"])
    app.extensions["finder.engine"].dispose()
    assert result.exit_code == 1
    assert "init-db" in result.output


def test_remove_deletes_only_the_demo_data(runner, session, make_meeting):
    feed = Source(kind="feed", name="Some Intergroup", url="https://example.org/feed.json")
    make_meeting(name="Feed Meeting", slug="feed-meeting", source=feed, group="Feed Group")
    make_meeting(name="Local Meeting", slug="local-meeting")
    demo_data(runner, "--count", "150")
    result = demo_data(runner, "--remove")
    assert "Removed 150 demo meetings" in result.output
    session.rollback()
    assert sorted(session.scalars(select(Meeting.slug))) == ["feed-meeting", "local-meeting"]
    assert [(s.kind, s.name) for s in session.scalars(select(Source))] == [
        ("feed", "Some Intergroup")
    ]
    assert session.scalar(select(func.count(Location.id))) == 2
    assert list(session.scalars(select(Group.name))) == ["Feed Group"]
    again = demo_data(runner, "--remove")
    assert "There is no demo data to remove." in again.output
    assert count(session) == 2


def test_demo_data_can_be_loaded_again_after_removal(runner, session):
    demo_data(runner, "--count", "40")
    demo_data(runner, "--remove")
    assert count(session) == 0
    demo_data(runner, "--count", "40", "--if-empty")
    assert count(session) == 40


@pytest.mark.parametrize("option", [["--count", "5"], ["--seed", "2"], ["--if-empty"]])
def test_remove_refuses_options_about_generating(runner, session, option):
    demo_data(runner, "--count", "30")
    result = runner.invoke(args=["demo-data", "--remove", *option])
    assert result.exit_code == 2
    assert f"{option[0]} cannot be combined with --remove" in result.output
    assert count(session) == 30


def test_remove_without_schema_says_to_run_init_db(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["demo-data", "--remove"])
    app.extensions["finder.engine"].dispose()
    assert result.exit_code == 1
    assert "init-db" in result.output
