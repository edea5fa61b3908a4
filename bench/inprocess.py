"""The search as users run it, in-process: the index, the SQL path, and a KD-tree for scale."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from bench.data import DENSE, EXTRA_DENSE, RURAL, Dataset
from finder import create_app
from finder.db import new_session
from finder.geo import EARTH_RADIUS_KM
from finder.nearby import Filters, search_hits, search_page
from finder.spatial.holder import holder_for

NOW = dt.datetime(2026, 11, 25, 23, 0, tzinfo=dt.UTC)  # Wednesday evening across the US
WEDNESDAY = 3


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Scenario:
    label: str
    point: tuple[str, float, float]
    radius_km: float
    sort: str
    filters: Filters = NO_FILTERS


SCENARIOS = (
    Scenario("extra-dense, nearest 50, 25 km", EXTRA_DENSE, 25, "distance"),
    Scenario("extra-dense, soonest 50, 25 km", EXTRA_DENSE, 25, "soonest"),
    Scenario("dense, nearest 50, 25 km", DENSE, 25, "distance"),
    Scenario("dense, soonest 50, 25 km", DENSE, 25, "soonest"),
    Scenario("extra-dense, soonest, 5 km", EXTRA_DENSE, 5, "soonest"),
    Scenario("extra-dense, soonest, 50 km", EXTRA_DENSE, 50, "soonest"),
    Scenario("dense, soonest, 50 km", DENSE, 50, "soonest"),
    Scenario(
        "extra-dense, today + type O, 25 km",
        EXTRA_DENSE,
        25,
        "soonest",
        Filters(days=frozenset({WEDNESDAY}), types=frozenset({"O"})),
    ),
    Scenario(
        "dense, in person + evening, nearest",
        DENSE,
        25,
        "distance",
        Filters(attendance=frozenset({"in_person"}), times_of_day=frozenset({"evening"})),
    ),
    Scenario("rural, soonest, 50 km", RURAL, 50, "soonest"),
)


@dataclass
class Timing:
    """Milliseconds of repeated runs."""

    runs: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.runs) if self.runs else math.nan

    @property
    def p99(self) -> float:
        if not self.runs:
            return math.nan
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


def measure(fn: Callable[[], Any], reps: int, budget_s: float) -> Timing:
    """Two warm-up calls, then up to `reps` timed calls (at least 5) within the budget."""
    fn()
    fn()
    timing = Timing()
    deadline = time.perf_counter() + budget_s
    while len(timing.runs) < reps and (len(timing.runs) < 5 or time.perf_counter() < deadline):
        started = time.perf_counter()
        fn()
        timing.runs.append((time.perf_counter() - started) * 1000)
    return timing


@dataclass
class BackendResult:
    backend: str
    build_s: float = math.nan
    index_mb: float = math.nan
    peak_mb: float = math.nan  # most memory the build took above the process's size before
    retained_mb: float = math.nan  # what the process kept after the build
    floor: Timing = field(default_factory=Timing)
    total: dict[str, int] = field(default_factory=dict)
    index: dict[str, Timing] = field(default_factory=dict)
    page: dict[str, Timing] = field(default_factory=dict)
    sql: dict[str, Timing] = field(default_factory=dict)


def memory_mb() -> tuple[float, float]:
    """(resident now, peak since the last call) of this process, in MB (Linux)."""
    status = Path("/proc/self/status").read_text()
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # restart the peak from now
    return int(found["VmRSS"]) / 1024, int(found["VmHWM"]) / 1024


def _index_mb(snapshot: Any) -> float:
    size = 0
    for part in (snapshot.main, snapshot.delta):
        size += sum(getattr(part, f.name).nbytes for f in fields(part))
    size += snapshot.keys.nbytes + snapshot.sorted_ids.nbytes + snapshot.id_sorter.nbytes
    return size / 2**20


def run_backend(backend: str, url: str, reps: int, sql_reps: int) -> BackendResult:
    """Build the index for one database and time every scenario three ways."""
    result = BackendResult(backend)
    config = {"DATABASE_URL": url, "SECRET_KEY": "bench", "SEARCH_INDEX": "sync"}
    app = create_app(config)
    holder = holder_for(app.extensions["finder.engine"])
    with app.app_context():
        before = memory_mb()
        started = time.perf_counter()
        snapshot = holder.warm()
        result.build_s = time.perf_counter() - started
        after = memory_mb()
        build_memory = (after[1] - before[0], after[0] - before[0])
        assert snapshot is not None
        result.index_mb = _index_mb(snapshot)
        result.peak_mb, result.retained_mb = build_memory
        result.floor = request_floor(reps)
        for s in SCENARIOS:
            _scenario(result, holder, s, reps, sql_reps)
    app.extensions["finder.engine"].dispose()
    return result


def _scenario(result: BackendResult, holder: Any, s: Scenario, reps: int, sql_reps: int) -> None:
    """Searches inside a request's session: its connection is already checked out (every
    request pays for that, /healthz too: see request_floor), the version read is not."""
    _, lat, lng = s.point
    session = new_session()
    session.connection()

    def hits() -> int:
        found = search_hits(session, lat, lng, s.radius_km, s.filters, NOW, sort=s.sort, limit=50)
        return found.total

    def page() -> None:
        search_page(session, lat, lng, s.radius_km, s.filters, NOW, sort=s.sort, limit=25)
        session.expunge_all()  # the next request loads its rows afresh

    holder.mode = "sync"
    result.total[s.label] = hits()
    result.index[s.label] = measure(hits, reps, budget_s=10)
    result.page[s.label] = measure(page, max(5, reps // 4), budget_s=5)
    holder.mode = "off"
    result.sql[s.label] = measure(hits, sql_reps, budget_s=3)
    holder.mode = "sync"
    session.close()


def request_floor(reps: int) -> Timing:
    """What every request spends on the database before any work: a session, one trivial
    query, and the connection's return (pre-ping and reset included)."""

    def floor() -> None:
        with new_session() as session:
            session.execute(select(1))

    return measure(floor, reps, budget_s=5)


def unit_vectors(lat: Any, lng: Any) -> Any:
    la, lo = np.radians(lat), np.radians(lng)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1)


def kdtree_baseline(data: Dataset, reps: int) -> tuple[dict[str, Timing], float]:
    """scipy's cKDTree on unit vectors: radius query, then the nearest 50 (no filters)."""
    try:
        from scipy.spatial import cKDTree  # type: ignore[import-untyped]
    except ImportError:
        return {}, math.nan
    xyz = unit_vectors(data.meeting_lat, data.meeting_lng)
    started = time.perf_counter()
    tree = cKDTree(xyz)
    build_s = time.perf_counter() - started
    timings = {}
    for s in SCENARIOS:
        _, lat, lng = s.point
        q = unit_vectors(np.array([lat]), np.array([lng]))[0]
        chord = 2 * math.sin(s.radius_km / (2 * EARTH_RADIUS_KM))

        def nearest(q: Any = q, chord: float = chord) -> Any:
            idx = np.asarray(tree.query_ball_point(q, chord), dtype=np.intp)
            closeness = xyz[idx] @ q
            if len(idx) > 50:
                top = np.argpartition(-closeness, 50)[:50]
                idx, closeness = idx[top], closeness[top]
            return idx[np.argsort(-closeness)]

        timings[s.label] = measure(nearest, reps, budget_s=5)
    return timings, build_s
