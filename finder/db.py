"""Database engine, one Session per request, and the schema commands."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


BUSY_TIMEOUT = 5.0  # seconds a write waits for SQLite's lock before the page answers 503
CONNECT_TIMEOUT = 5  # seconds to reach PostgreSQL before the page answers 503


def make_engine(url: str, echo: bool = False, busy_timeout: float = BUSY_TIMEOUT) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout.

    hide_parameters: a failed statement's error never carries its values (a sobriety
    date, a password hash, a session token) into a log.
    """
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, hide_parameters=True, connect_args={"timeout": busy_timeout}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        # A write blocked by another's lock gives up like SQLite's busy timeout (then 503).
        lock_ms = max(1, int(busy_timeout * 1000))
        connect_args = {"connect_timeout": CONNECT_TIMEOUT, "options": f"-c lock_timeout={lock_ms}"}
    return create_engine(
        url, echo=echo, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args
    )


def init_app(app: Flask) -> None:
    engine = make_engine(
        app.config["DATABASE_URL"],
        app.config.get("SQL_ECHO", False),
        float(app.config.get("DATABASE_BUSY_TIMEOUT", BUSY_TIMEOUT)),
    )
    app.extensions["finder.engine"] = engine
    app.extensions["finder.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)
    app.cli.add_command(init_db_command)


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["finder.engine"]
    return engine


def new_session() -> Session:
    """A session outside the request cycle (CLI commands, background work)."""
    maker: sessionmaker[Session] = current_app.extensions["finder.sessionmaker"]
    return maker()


def get_session() -> Session:
    """The session of the current request or app context, created on first use."""
    if "db_session" not in g:
        g.db_session = new_session()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_schema(url: str) -> None:
    """Create or upgrade the schema to the newest Alembic revision."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def ping() -> None:
    """A trivial query, for the health check."""
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def missing_tables(exc: DBAPIError) -> bool:
    """Whether the database has no schema yet (SQLite and PostgreSQL say it differently)."""
    text = str(exc.orig).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def database_problem(exc: DBAPIError) -> str:
    """One line on what went wrong with the database, and what to do."""
    first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__
    if missing_tables(exc):
        return f"The database is not ready ({first}). Run `flask --app wsgi init-db` first."
    return f"The database could not be used: {first}. Check DATABASE_URL and that it is running."


def schema_revision(url: str) -> str | None:
    """The Alembic revision the database is at; None before the first init-db."""
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database schema, or upgrade it to the newest version."""
    url = current_app.config["DATABASE_URL"]
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line says what happened
    before = schema_revision(url)
    upgrade_schema(url)
    after = schema_revision(url)
    if before is None:
        click.echo(f"Created the database schema (revision {after}).")
    elif before != after:
        click.echo(f"Upgraded the database schema from revision {before} to {after}.")
    else:
        click.echo(f"Database schema is up to date (revision {after}).")
