"""Migration 0007: rough points, places without coordinates, attendance derived again."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import create_engine, inspect, text

from finder.db import alembic_config, upgrade_schema
from tests.test_migrations import fresh_url  # noqa: F401  (the fixture)

NOW = dt.datetime(2026, 1, 1)


def seed_version_0006(url: str) -> None:
    """A database at 0006 with a "Virtual Only" meeting stored as in person (the old import)."""
    command.upgrade(alembic_config(url), "0006")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO location (id, name, address, city, state, postal_code, country, "
                "formatted_address, latitude, longitude, approximate, timezone, regions, notes, "
                "updated_at) VALUES (1, 'Virtual Only', '', '', '', '', '', "
                "'Philadelphia, PA, USA', 39.95, -75.16, false, 'America/New_York', '[]', '', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO meeting (id, slug, name, fellowship_id, location_id, types, notes, "
                "conference_url, conference_url_notes, conference_phone, "
                "conference_phone_notes, temporarily_closed, published, attendance_option, "
                "source_url, created_at, updated_at) VALUES (1, 'zoom', 'Zoom', "
                "(SELECT min(id) FROM fellowship), 1, '[]', '', 'https://zoom.us/j/1', '', '', "
                "'', false, true, 'hybrid', '', :now, :now)"
            ),
            {"now": NOW},
        )
    engine.dispose()


def test_upgrade_lets_places_go_without_coordinates_and_derives_attendance_again(
    fresh_url: str,  # noqa: F811
) -> None:
    seed_version_0006(fresh_url)
    upgrade_schema(fresh_url)
    engine = create_engine(fresh_url)
    columns = {c["name"]: c for c in inspect(engine).get_columns("location")}
    with engine.connect() as conn:
        option = conn.execute(text("SELECT attendance_option FROM meeting")).scalar()
        rough = conn.execute(text("SELECT rough_point FROM location")).scalar()
        version = conn.execute(text("SELECT version FROM search_state WHERE id = 1")).scalar()
        everything = conn.execute(
            text("SELECT count(*) FROM search_change WHERE kind = '*' AND version = :v"),
            {"v": version},
        ).scalar()
    engine.dispose()
    assert columns["latitude"]["nullable"] and columns["longitude"]["nullable"]
    assert option == ""  # derived from the place and the links, as the spec says
    assert rough is False or rough == 0
    assert everything == 1  # running search indexes reload


def test_downgrade_to_0006_puts_pointless_places_at_zero(fresh_url: str) -> None:  # noqa: F811
    upgrade_schema(fresh_url)
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO location (id, name, address, city, state, postal_code, country, "
                "formatted_address, approximate, rough_point, timezone, regions, notes, "
                "updated_at) VALUES (1, '', '', '', '', '', '', '', true, false, 'UTC', '[]', "
                "'', :now)"
            ),
            {"now": NOW},
        )
    command.downgrade(alembic_config(fresh_url), "0006")
    with engine.connect() as conn:
        point = conn.execute(text("SELECT latitude, longitude FROM location")).one()
    columns = {c["name"] for c in inspect(engine).get_columns("location")}
    engine.dispose()
    assert tuple(point) == (0.0, 0.0)
    assert "rough_point" not in columns
