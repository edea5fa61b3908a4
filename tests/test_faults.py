"""The fault suite (issue 13): each dependency failing, and the answer people get.

Redis down: limits go on in memory, with a warning, and /healthz says so (503).
Database down: every page answers 503 with Retry-After and a calm page with crisis lines.
Database locked (SQLite, by a long import): a write waits briefly, then 503, nothing private logged.
Geocoder timing out: the offline geocoder answers, marked approximate.
A feed server dripping its headers: see tests/test_hardening_feeds.py (the deadline holds).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import psycopg
import pytest
from geopy.exc import GeocoderTimedOut
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from finder.accounts.models import SobrietyDate
from finder.db import make_engine
from finder.geocoding import GeocoderUnavailable
from tests.accounts_support import register, text
from tests.conftest import BACKEND

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


class TestRedisDown:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": UNREACHABLE_REDIS}

    def test_search_and_login_go_on_with_limits_in_memory(self, client, make_meeting, caplog):
        make_meeting()
        caplog.set_level(logging.WARNING)
        assert client.get("/meetings?near=10001").status_code == 200
        assert client.get("/api/v1/meetings?near=10001").status_code == 200
        r = client.post("/login", data={"username": "sam", "password": "wrong password"})
        assert r.status_code == 200 and "match. Please try again" in text(r)
        assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)

    def test_limits_still_hold_in_memory(self, client):
        for n in range(10):
            client.post("/login", data={"username": f"guess{n}", "password": "x"})
        assert (
            client.post("/login", data={"username": "one-more", "password": "x"}).status_code == 429
        )

    def test_healthz_reports_the_rate_limit_storage(self, client):
        r = client.get("/healthz")
        assert r.status_code == 503
        assert r.get_json() == {
            "status": "unavailable",
            "database": "ok",
            "rate_limits": "unavailable",
        }


@pytest.fixture
def database_down(app, tmp_path):
    """The app's database becomes unreachable (a directory is no SQLite file; port 1 no server)."""
    url = f"sqlite:///{tmp_path}" if BACKEND == "sqlite" else "postgresql+psycopg://x@127.0.0.1:1/x"
    engine = make_engine(url)
    app.extensions["finder.engine"] = engine
    app.extensions["finder.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    yield
    engine.dispose()


@pytest.mark.parametrize(
    "path", ["/meetings?near=10001", "/meetings/some-meeting", "/me/favorites"]
)
def test_database_down_answers_a_calm_503_page(client, database_down, path):
    r = client.get(path)
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "60"
    page = text(r)
    assert "reach its meeting list right now; try again in a minute" in page
    assert "988" in page and "1-800-662-4357" in page
    assert 'href="/help"' in page


def test_database_down_answers_503_json_from_the_api(client, database_down):
    r = client.get("/api/v1/meetings?near=10001")
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert "try again in a minute" in r.get_json()["error"]


def test_database_down_makes_healthz_503(client, database_down):
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.get_json()["database"] == "unavailable"


class TestDatabaseLocked:
    @pytest.fixture
    def app_config(self):
        return {"DATABASE_BUSY_TIMEOUT": 0.2}

    def test_a_write_during_a_long_import_answers_503_and_logs_nothing_private(
        self, client, session, database_url, caplog
    ):
        register(client)
        if BACKEND == "sqlite":
            importer: Any = sqlite3.connect(database_url.removeprefix("sqlite:///"))
            importer.execute("BEGIN IMMEDIATE")  # a large import holds the write lock
        else:
            importer = psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql"))
            importer.execute("LOCK TABLE sobriety_date IN EXCLUSIVE MODE")
        caplog.set_level(logging.DEBUG)
        try:
            data = {"label": "Fentanyl-private", "date": "2024-02-29"}
            r = client.post("/me/sobriety", data=data)
        finally:
            importer.rollback()
            importer.close()
        assert r.status_code == 503 and r.headers["Retry-After"] == "60"
        assert "try again in a minute" in text(r)
        logged = "\n".join(
            f"{r.getMessage()} {r.exc_text or ''} {r.exc_info}" for r in caplog.records
        )
        assert "Fentanyl-private" not in logged and "2024-02-29" not in logged
        assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 0
        assert client.post("/me/sobriety", data=data).status_code == 302  # once the lock is gone


@pytest.mark.parametrize("error", [GeocoderTimedOut("slow"), GeocoderUnavailable("timed out")])
def test_a_geocoder_timing_out_falls_back_to_the_offline_city_index(
    client, fake_geocoder, make_meeting, error
):
    make_meeting(city="Boston", state="MA", latitude=42.3601, longitude=-71.0589)

    def timing_out(query):
        raise GeocoderUnavailable(str(error)) from error

    fake_geocoder.geocode = timing_out
    r = client.get("/meetings?near=Boston, MA")
    assert r.status_code == 200
    assert "approximate" in text(r).lower()
