"""Slow starts (issue 13, point 14): the city index preloaded; rebuilds serve the old index."""

from __future__ import annotations

import gc
import runpy
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from finder.geocoding import offline
from finder.models import Meeting
from finder.spatial.holder import IndexHolder, holder_for
from tests.test_nearby_index import populate

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_preload_builds_the_city_index_before_workers_fork(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gc, "freeze", lambda: None)  # the test process keeps collecting
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    offline.city_index.cache_clear()
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    settings["when_ready"](server)
    assert offline.city_index.cache_info().currsize == 1
    assert settings["preload_app"] is True


@pytest.fixture
def keeper(app: Flask, session: Session) -> IndexHolder:
    """An index built over some meetings, then a bulk statement that forces a rebuild."""
    holder = holder_for(app.extensions["finder.engine"])
    holder.mode = "auto"
    populate(session, 41, count=60)
    assert holder.warm() is not None
    session.execute(update(Meeting).values(day=4))  # unknown changes: only a rebuild will do
    session.commit()
    return holder


def _blocked_builds(holder: IndexHolder, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    release = threading.Event()
    original = holder.build

    def slow_build(conn: Any) -> Any:
        release.wait(30)
        return original(conn)

    monkeypatch.setattr(holder, "build", slow_build)
    return release


def test_a_rebuild_serves_the_previous_index_marked_stale(
    app: Flask, keeper: IndexHolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = keeper.snapshot
    assert previous is not None
    release = _blocked_builds(keeper, monkeypatch)
    engine = app.extensions["finder.engine"]
    with engine.connect() as conn:
        served = keeper.get(conn)
    assert served is not None and served.stale
    assert served.version == previous.version and served.size == previous.size
    release.set()
    assert keeper._builder is not None
    keeper._builder.join(30)
    with engine.connect() as conn:
        fresh = keeper.get(conn)
    assert fresh is not None and not fresh.stale and fresh.version > previous.version


def test_after_a_failed_rebuild_no_stale_index_is_served(
    app: Flask, keeper: IndexHolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_conn: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(keeper, "build", broken)
    engine = app.extensions["finder.engine"]
    with engine.connect() as conn:
        keeper.get(conn)
    assert keeper._builder is not None
    keeper._builder.join(30)
    release = _blocked_builds(keeper, monkeypatch)
    with engine.connect() as conn:
        assert keeper.get(conn) is None  # SQL answers until a build succeeds
    release.set()
    keeper._builder.join(30)
