"""Command-line tools: flask --app wsgi demo-data ..."""

from __future__ import annotations

import time
from collections import Counter

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError

from finder.db import new_session
from finder.demo import (
    DEFAULT_COUNT,
    DEFAULT_SEED,
    DemoData,
    any_meetings,
    generate_demo,
    load_demo,
)


def _shares(counter: Counter[str], total: int) -> str:
    return ", ".join(f"{key} {count * 100 / total:.0f}%" for key, count in counter.most_common())


def _summary(data: DemoData, seconds: float, removed: int, seed: int) -> list[str]:
    meetings = data.meetings
    total = max(1, len(meetings))
    lines = [
        f"Loaded {len(meetings):,} demo meetings at {len(data.locations):,} locations "
        f"in {len({m.metro for m in meetings})} metros (seed {seed}) in {seconds:.1f} s.",
        "Metros: " + ", ".join(f"{k} {v}" for k, v in Counter(m.metro for m in meetings).items()),
        "Fellowships: " + _shares(Counter(m.fellowship for m in meetings), total),
        "Attendance: " + _shares(Counter(m.attendance for m in meetings), total),
    ]
    if removed:
        lines.append(f"Replaced {removed:,} earlier demo meetings.")
    return lines


@click.command("demo-data")
@click.option("--count", type=click.IntRange(1, 100_000), default=DEFAULT_COUNT,
              show_default=True, help="How many meetings to generate.")  # fmt: skip
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Same seed, same meetings and slugs.")  # fmt: skip
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already has meetings.")  # fmt: skip
@with_appcontext
def demo_data_command(count: int, seed: int, if_empty: bool) -> None:
    """Replace the demo meetings with freshly generated ones (other sources are kept)."""
    started = time.perf_counter()
    session = new_session()
    try:
        if if_empty and any_meetings(session):
            click.echo("Meetings already exist: demo data left as it is.")
            return
        data = generate_demo(count=count, seed=seed)
        counts = load_demo(session, data)
    except (OperationalError, ProgrammingError) as exc:
        session.rollback()
        raise click.ClickException(
            f"The database is not ready ({exc.orig}). Run `flask --app wsgi init-db` first."
        ) from exc
    finally:
        session.close()
    for line in _summary(data, time.perf_counter() - started, counts.removed_meetings, seed):
        click.echo(line)


def init_app(app: Flask) -> None:
    """Register the CLI commands (init-db is registered by finder.db)."""
    app.cli.add_command(demo_data_command)
