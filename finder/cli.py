"""Command-line tools: flask --app wsgi demo-data [--remove] ..."""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

import click
from click.core import ParameterSource
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from finder.db import database_problem, new_session
from finder.demo import (
    DEFAULT_COUNT,
    DEFAULT_SEED,
    DemoData,
    RemoveCounts,
    any_meetings,
    generate_demo,
    load_demo,
    remove_demo,
)

T = TypeVar("T")


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
@click.option("--remove", is_flag=True,
              help="Delete the demo meetings instead (other sources are kept); do it before "
                   "going live.")  # fmt: skip
@with_appcontext
def demo_data_command(count: int, seed: int, if_empty: bool, remove: bool) -> None:
    """Replace the demo meetings with freshly generated ones (other sources are kept)."""
    if remove:
        _refuse_with_remove("count", "seed", "if_empty")
        _echo_removed(_database_step(remove_demo))
        return
    started = time.perf_counter()
    if if_empty and _database_step(any_meetings):
        click.echo("Meetings already exist: demo data left as it is.")
        return
    data = generate_demo(count=count, seed=seed)
    counts = _database_step(lambda session: load_demo(session, data))
    for line in _summary(data, time.perf_counter() - started, counts.removed_meetings, seed):
        click.echo(line)


def _refuse_with_remove(*names: str) -> None:
    """--remove generates nothing: options about generating are a mistake next to it."""
    ctx = click.get_current_context()
    for name in names:
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            option = "--" + name.replace("_", "-")
            raise click.UsageError(f"{option} cannot be combined with --remove.")


def _database_step(step: Callable[[Session], T]) -> T:
    """Run one step in a session of its own; a database problem (no schema yet, say) ends
    the command with one line (with_database_errors)."""
    session = new_session()
    try:
        return step(session)
    finally:
        session.close()


def _echo_removed(counts: RemoveCounts | None) -> None:
    if counts is None:
        click.echo("There is no demo data to remove.")
        return
    click.echo(
        f"Removed {counts.meetings:,} demo meetings, {counts.locations:,} places and "
        f"{counts.groups:,} groups only they used, and the demo source. Other sources are kept."
    )


WRAPPED = "finder_database_errors"


def with_database_errors(command: click.Command) -> click.Command:
    """The command, failing with database_problem's one line instead of a traceback.

    Commands are module-level objects shared by every app a process makes (the tests make
    hundreds): each is wrapped once.
    """
    callback = command.callback
    if callback is None or getattr(command, WRAPPED, False):
        return command
    setattr(command, WRAPPED, True)

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except (OperationalError, ProgrammingError) as exc:
            raise click.ClickException(database_problem(exc)) from exc

    command.callback = run
    return command


def init_app(app: Flask) -> None:
    """Register the CLI commands (init-db is registered by finder.db); every command of the
    app (registered before this runs) fails on a database problem with one clear line."""
    app.cli.add_command(demo_data_command)
    for command in app.cli.commands.values():
        with_database_errors(command)
