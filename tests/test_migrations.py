"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text

from finder import create_app
from finder.db import alembic_config, upgrade_schema
from finder.models import Base

BACKEND = os.environ.get("FINDER_TEST_DB", "sqlite")


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a throwaway PostgreSQL database."""
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    server_url = os.environ["TEST_DATABASE_URL"]
    name = f"finder_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def schema_differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(fresh_url: str) -> None:
    upgrade_schema(fresh_url)
    assert schema_differences(fresh_url) == []


def test_feeds_migration_downgrades_and_upgrades_again(fresh_url: str) -> None:
    upgrade_schema(fresh_url)
    command.downgrade(alembic_config(fresh_url), "0001")
    engine = create_engine(fresh_url)
    columns = {c["name"] for c in inspect(engine).get_columns("meeting")}
    engine.dispose()
    assert "attendance_option" not in columns
    upgrade_schema(fresh_url)
    assert schema_differences(fresh_url) == []


def test_init_db_command_runs_on_a_fresh_database_twice(fresh_url: str) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": fresh_url, "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    for said in ("Created the database schema", "Database schema is up to date"):
        with app.app_context():  # `flask` pushes one; the test runner does not
            result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert said in result.output
    app.extensions["finder.engine"].dispose()
    engine = create_engine(fresh_url)
    with engine.connect() as conn:
        fellowships = conn.execute(text("SELECT count(*) FROM fellowship")).scalar()
    engine.dispose()
    assert fellowships and fellowships >= 10
