"""Account data in the database: the migration, deletes that cascade, time zones."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, func, inspect, make_url, select, text

from finder.accounts import sobriety
from finder.accounts.models import Favorite, SobrietyDate, SobrietyHistory, User
from finder.db import alembic_config, make_engine, upgrade_schema
from tests.accounts_support import register
from tests.accounts_support import text as page_text

BACKEND = os.environ.get("FINDER_TEST_DB", "sqlite")
OWNED = ("favorite", "sobriety_date", "sobriety_history")


@pytest.fixture
def migrated_url(tmp_path: Path) -> Iterator[str]:
    """A database built by the Alembic migrations alone (SQLite file or throwaway PostgreSQL)."""
    if BACKEND != "postgresql":
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        upgrade_schema(url)
        yield url
        return
    server_url = os.environ["TEST_DATABASE_URL"]
    name = f"finder_accounts_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    upgrade_schema(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_the_migration_creates_the_account_tables_with_cascading_keys(migrated_url):
    engine = make_engine(migrated_url)
    inspector = inspect(engine)
    for table in OWNED:
        keys = [fk for fk in inspector.get_foreign_keys(table) if fk["referred_table"] == "account"]
        assert keys and keys[0]["options"].get("ondelete") == "CASCADE", table
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO account (id, username, username_key, password_hash, session_token,"
                " timezone, created_at) VALUES (1, 'a', 'a', 'h', 't', 'UTC', :now)"
            ),
            {"now": dt.datetime(2025, 1, 1)},
        )
        conn.execute(
            text(
                "INSERT INTO sobriety_date (id, user_id, label, date, created_at, updated_at)"
                " VALUES (1, 1, 'x', :d, :now, :now)"
            ),
            {"d": dt.date(2024, 1, 1), "now": dt.datetime(2025, 1, 1)},
        )
        conn.execute(
            text(
                "INSERT INTO sobriety_history (user_id, sobriety_date_id, date, replaced_on,"
                " created_at) VALUES (1, 1, :d, :d, :now)"
            ),
            {"d": dt.date(2023, 1, 1), "now": dt.datetime(2025, 1, 1)},
        )
        conn.execute(
            text(
                "INSERT INTO favorite (user_id, meeting_slug, snapshot, created_at)"
                " VALUES (1, 'm', '{}', :now)"
            ),
            {"now": dt.datetime(2025, 1, 1)},
        )
        conn.execute(text("DELETE FROM account WHERE id = 1"))
    with engine.connect() as conn:
        for table in OWNED:
            query = text(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
            assert conn.execute(query).scalar() == 0, table
    engine.dispose()


def test_deleting_an_account_row_takes_everything_with_it(client, make_meeting, session):
    make_meeting(slug="kept")
    register(client)
    client.post("/meetings/kept/favorite")
    client.post("/me/sobriety", data={"date": "2020-02-29"})
    record = session.scalar(select(SobrietyDate))
    client.post(f"/me/sobriety/{record.id}", data={"date": "2021-03-01", "keep_earlier": "y"})
    assert session.scalar(select(func.count()).select_from(SobrietyHistory)) == 1
    session.execute(User.__table__.delete())  # the database alone, no ORM cascade
    session.commit()
    for model in (Favorite, SobrietyDate, SobrietyHistory):
        assert session.scalar(select(func.count()).select_from(model)) == 0, model


def test_days_are_counted_in_the_persons_time_zone(client, session, monkeypatch):
    noon_utc = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)  # already Jan 2 in Auckland
    monkeypatch.setattr(sobriety, "now_utc", lambda: noon_utc)
    register(client)
    client.post("/me/sobriety", data={"label": "Alcohol", "date": "2024-12-31"})
    assert "1 day" in page_text(client.get("/me/sobriety"))

    r = client.post("/me/timezone", data={"timezone": "Pacific/Auckland"})
    assert r.status_code == 302
    page = page_text(client.get("/me/sobriety"))
    assert "2 days" in page
    assert "Your time zone is saved: New Zealand (Auckland)." in page
    assert session.scalar(select(User.timezone)) == "Pacific/Auckland"


def test_the_migration_marks_zones_picked_before_registration_asked(migrated_url):
    """Older accounts on the UTC default had not picked a zone; any other zone was picked."""
    engine = make_engine(migrated_url)
    config = alembic_config(migrated_url)
    command.downgrade(config, "0005")
    now = dt.datetime(2025, 1, 1)
    with engine.begin() as conn:
        for n, zone in enumerate(("UTC", "America/Denver"), start=1):
            conn.execute(
                text(
                    "INSERT INTO account (id, username, username_key, password_hash,"
                    " session_token, timezone, created_at) VALUES (:n, :u, :u, 'h', 't', :z, :now)"
                ),
                {"n": n, "u": f"user{n}", "z": zone, "now": now},
            )
    upgrade_schema(migrated_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT timezone, timezone_chosen FROM account ORDER BY id"))
        assert [(zone, bool(chosen)) for zone, chosen in rows] == [
            ("UTC", False),
            ("America/Denver", True),
        ]
    engine.dispose()


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../../etc/passwd"])
def test_an_unknown_time_zone_is_refused(client, session, zone):
    register(client)
    client.post("/me/timezone", data={"timezone": zone})
    assert "Please pick a time zone from the list." in page_text(client.get("/me/sobriety"))
    assert session.scalar(select(User.timezone)) == "UTC"


def test_a_zone_the_browser_suggests_is_accepted_even_if_not_in_the_short_list(client, session):
    register(client)
    client.post("/me/timezone", data={"timezone": "America/Boise"})
    assert session.scalar(select(User.timezone)) == "America/Boise"
    page = page_text(client.get("/me/sobriety"))
    assert '<option selected value="America/Boise">America/Boise</option>' in page
