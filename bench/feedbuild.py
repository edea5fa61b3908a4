"""The published feed at scale: /api/v1/feed.json's build time and memory, in a fresh process.

The benchmark's meetings belong to a demo source, which the feed leaves out, so the
SQLite file is copied and its source marked as a real feed first. The build runs in a
child process (`python -m bench.feedbuild URL`) so its memory growth is its own.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"


@dataclass
class FeedBuild:
    meetings: int
    seconds: float
    cpu_seconds: float
    growth_mb: float
    plain_mb: float
    gzip_mb: float
    derive_seconds: float


def _status(key: str) -> float:
    text = Path("/proc/self/status").read_text()
    return int(text.split(f"{key}:")[1].split()[0]) / 1024


def measure(database_url: str) -> dict[str, float]:
    """In this process: one build from the database, then one other-host copy."""
    from finder import create_app
    from finder.db import get_session
    from finder.feeds import feed_cache
    from finder.feeds.feed_stream import Scope
    from finder.feeds.views import path_template

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "SEARCH_INDEX": "off"})
    with app.test_request_context("/api/v1/feed.json"):
        session = get_session()
        session.connection()
        before = _status("VmRSS")
        began, cpu = time.perf_counter(), time.process_time()
        built = feed_cache.build(session, "http://localhost", path_template(), Scope(), 1, 0.0)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        growth = _status("VmHWM") - before
        began = time.perf_counter()
        feed_cache.derive(built, "https://other.example.org", 0.0)
        derive = time.perf_counter() - began
        count = session.connection().exec_driver_sql("SELECT count(*) FROM meeting").scalar()
    return {
        "meetings": float(count or 0), "seconds": seconds, "cpu_seconds": cpu,
        "growth_mb": growth, "plain_mb": built.size / 1e6,
        "gzip_mb": len(built.gzipped) / 1e6, "derive_seconds": derive,
    }  # fmt: skip


def sqlite_copy(sqlite_url: str, name: str) -> Path:
    """A consistent copy of a SQLite database (its WAL included) in bench/.work."""
    WORK.mkdir(exist_ok=True)
    copy = WORK / name
    copy.unlink(missing_ok=True)
    source, target = sqlite3.connect(sqlite_url.removeprefix("sqlite:///")), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return copy


def run_feed_build(sqlite_url: str) -> FeedBuild:
    """Copy the benchmark's SQLite file as real (non-demo) meetings, and build its feed."""
    copy = sqlite_copy(sqlite_url, "feed.sqlite3")
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE source SET kind = 'feed'")
    out = subprocess.run(
        [sys.executable, "-m", "bench.feedbuild", f"sqlite:///{copy}"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=600,
    ).stdout  # fmt: skip
    copy.unlink(missing_ok=True)
    return FeedBuild(**{k: v for k, v in json.loads(out.splitlines()[-1]).items()})


def feed_table(run: FeedBuild) -> str:
    from bench.report import table

    verdict = "met" if run.seconds <= 2 and run.growth_mb <= 50 else "not met"
    rows = [[
        f"{run.meetings:,.0f}", f"{run.seconds:.2f}", f"{run.cpu_seconds:.2f}",
        f"{run.growth_mb:.0f}", f"{run.plain_mb:.1f}", f"{run.gzip_mb:.1f}",
        f"{run.derive_seconds:.2f}", verdict,
    ]]  # fmt: skip
    header = ["meetings", "build s", "build CPU s", "memory growth MB", "JSON MB", "gzip MB",
              "another host's copy s", "target (<= 2 s, <= 50 MB)"]  # fmt: skip
    return table(header, rows)


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
