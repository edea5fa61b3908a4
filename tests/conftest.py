"""Shared fixtures: an app with its own database per test, factories, fakes.

FINDER_TEST_DB=sqlite (default) gives each test a fresh SQLite file;
FINDER_TEST_DB=postgresql creates one throwaway database on the server named by
TEST_DATABASE_URL for the run and empties it between tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from finder import create_app
from finder.catalog import ensure_fellowships
from finder.db import new_session
from finder.geo import timezone_at
from finder.geocoding import GeocoderUnavailable, Place
from finder.models import Base, Fellowship, Group, Location, Meeting

BACKEND = os.environ.get("FINDER_TEST_DB", "sqlite")


def pytest_report_header() -> str:
    return f"finder test database: {BACKEND}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A throwaway PostgreSQL database for this run, dropped at the end."""
    if BACKEND != "postgresql":
        yield None
        return
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.exit("FINDER_TEST_DB=postgresql needs TEST_DATABASE_URL", returncode=2)
    name = f"finder_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path, postgres_url: str | None) -> Iterator[str]:
    if postgres_url is None:
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url
        return
    engine = create_engine(postgres_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield postgres_url


class FakeGeocoder:
    """An online geocoder that answers from a dict, or is down."""

    name = "fake"

    def __init__(self, places: dict[str, Place] | None = None, down: bool = False) -> None:
        self.places = places or {}
        self.down = down
        self.calls: list[str] = []

    def geocode(self, query: str) -> Place | None:
        self.calls.append(query)
        if self.down:
            raise GeocoderUnavailable("fake outage")
        return self.places.get(query.lower())


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override per test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any]) -> Iterator[Flask]:
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "GEOCODER": "offline",
        **app_config,
    }
    app = create_app(config)
    with app.app_context():
        session = new_session()
        ensure_fellowships(session)
        session.commit()
        session.close()
    yield app
    app.extensions["finder.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session of the test's own, outside any app context.

    Holding an app context open for the whole test would make every request in
    it share one `g` (and so one request session and one logged-in user).
    """
    s: Session = app.extensions["finder.sessionmaker"]()
    yield s
    s.close()


@pytest.fixture
def fake_geocoder(app: Flask) -> FakeGeocoder:
    fake = FakeGeocoder()
    app.extensions["finder.geocoder"] = fake
    return fake


_counter = itertools.count(1)


@pytest.fixture
def make_meeting(session: Session) -> Callable[..., Meeting]:
    """Create a published meeting; keyword arguments override meeting or location fields."""

    # name and notes belong to the meeting; location_name / location_notes set the location's.
    location_fields = {c.key for c in Location.__table__.columns} - {"id", "name", "notes"}

    def factory(**overrides: Any) -> Meeting:
        n = next(_counter)
        fellowship_code = overrides.pop("fellowship", "aa")
        fellowship = session.query(Fellowship).filter_by(code=fellowship_code).one()
        loc_args = {k: overrides.pop(k) for k in list(overrides) if k in location_fields}
        for key in ("location_name", "location_notes"):
            if key in overrides:
                loc_args[key.removeprefix("location_")] = overrides.pop(key)
        location = overrides.pop("location", None)
        if location is None:
            lat = loc_args.setdefault("latitude", 40.7484)
            lng = loc_args.setdefault("longitude", -73.9967)
            loc_args.setdefault("timezone", timezone_at(lat, lng))
            loc_args.setdefault("name", f"Community Hall {n}")
            loc_args.setdefault("address", f"{n} Main Street")
            loc_args.setdefault("city", "New York")
            loc_args.setdefault("state", "NY")
            loc_args.setdefault("postal_code", "10001")
            loc_args.setdefault("country", "US")
            loc_args.setdefault("formatted_address", f"{n} Main Street, New York, NY 10001, USA")
            location = Location(**loc_args)
        group = overrides.pop("group", None)
        if isinstance(group, str):
            group = Group(name=group)
        fields: dict[str, Any] = {
            "slug": f"meeting-{n}",
            "name": f"Meeting {n}",
            "day": 1,
            "time": dt.time(19, 0),
            "end_time": dt.time(20, 0),
            "types": ["O"],
        }
        fields.update(overrides)
        meeting = Meeting(fellowship=fellowship, location=location, group=group, **fields)
        session.add(meeting)
        session.commit()
        return meeting

    return factory
