"""Migration 0005: the listing's own last-updated time, and older demo links made unreachable."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import create_engine, inspect, text

from finder.db import alembic_config, upgrade_schema
from tests.test_migrations import fresh_url  # noqa: F401  (the fixture)

NOW = dt.datetime(2026, 1, 1)
MEETING_SQL = text(
    "INSERT INTO meeting (id, slug, name, fellowship_id, location_id, types, notes, "
    "conference_url, conference_url_notes, conference_phone, conference_phone_notes, "
    "temporarily_closed, published, source_id, source_key, created_at, updated_at) VALUES "
    "(:id, :slug, 'M', (SELECT min(id) FROM fellowship), 1, '[]', '', :url, '', :phone, '', "
    "false, true, :source, :slug, :now, :now)"
)
OLD_ROWS = [  # (id, slug, url, phone, source): 1 is the demo source, 2 a real feed
    (1, "demo-zoom", "https://zoom.us/j/12345678901", "+16465588656,,12345678901#", 1),
    (2, "demo-in-person", "", "", 1),
    (3, "real-zoom", "https://zoom.us/j/555", "+16465588656,,555#", 2),
]


def seed_version_0004(url: str) -> None:
    """A database at 0004 holding demo meetings generated before 0005, and a real feed's."""
    command.upgrade(alembic_config(url), "0004")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO source (id, name, kind, last_counts, created_at) VALUES "
                "(1, 'Demo data', 'demo', '{}', :now), (2, 'Intergroup', 'feed', '{}', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO location (id, name, address, city, state, postal_code, country, "
                "formatted_address, latitude, longitude, approximate, timezone, regions, notes, "
                "updated_at) VALUES (1, '', '', '', '', '', '', '', 40.7, -74.0, false, "
                "'America/New_York', '[]', '', :now)"
            ),
            {"now": NOW},
        )
        for id_, slug, link, phone, source in OLD_ROWS:
            values = {"id": id_, "slug": slug, "url": link, "phone": phone, "source": source}
            conn.execute(MEETING_SQL, {**values, "now": NOW})
    engine.dispose()


def test_upgrade_adds_the_column_and_makes_old_demo_links_reach_nobody(fresh_url: str) -> None:  # noqa: F811
    seed_version_0004(fresh_url)
    upgrade_schema(fresh_url)
    engine = create_engine(fresh_url)
    columns = {c["name"]: c for c in inspect(engine).get_columns("meeting")}
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT slug, conference_url, conference_phone FROM meeting ORDER BY id")
        ).all()
        version = conn.execute(text("SELECT version FROM search_state WHERE id = 1")).scalar()
        everything = conn.execute(
            text("SELECT count(*) FROM search_change WHERE kind = '*' AND version = :v"),
            {"v": version},
        ).scalar()
    engine.dispose()
    assert columns["listing_updated_at"]["nullable"] is True
    assert [tuple(r) for r in rows] == [
        ("demo-zoom", "https://meet.example.com/demo/1", "+12125550100,,1#"),
        ("demo-in-person", "", ""),
        ("real-zoom", "https://zoom.us/j/555", "+16465588656,,555#"),  # never another source's
    ]
    assert version == 1 and everything == 1  # running search indexes reload


def test_downgrade_to_0004_drops_the_column(fresh_url: str) -> None:  # noqa: F811
    upgrade_schema(fresh_url)
    command.downgrade(alembic_config(fresh_url), "0004")
    engine = create_engine(fresh_url)
    columns = {c["name"] for c in inspect(engine).get_columns("meeting")}
    engine.dispose()
    assert "listing_updated_at" not in columns
    upgrade_schema(fresh_url)
