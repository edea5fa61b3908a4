"""The tables the harness prints and bench/README.md shows (Markdown)."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import sqlite3
import subprocess
from collections.abc import Sequence

import numpy as np

from bench.endtoend import Load
from bench.feeds import ImportRun
from bench.inprocess import SCENARIOS, BackendResult, Timing


def _ms(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (x.split(":", 1)[1].strip() for x in info if x.startswith("model name")), cpu
            )
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores ({cpu}), "
        f"{memory:.0f} GiB; Linux {platform.release()}; Python {platform.python_version()}, "
        f"numpy {np.__version__}, SQLite {sqlite3.sqlite_version}, {_postgres_version()}; "
        f"load average {load}"
    )


def _postgres_version() -> str:
    try:
        out = subprocess.run(["psql", "--version"], capture_output=True, text=True, timeout=5)
        return out.stdout.strip().replace("psql (PostgreSQL) ", "PostgreSQL ") or "PostgreSQL ?"
    except (OSError, subprocess.SubprocessError):
        return "PostgreSQL ?"


def _pair(t: Timing | None) -> str:
    return "–" if t is None else f"{_ms(t.p50)} / {_ms(t.p99)}"


def search_table(size: int, results: Sequence[BackendResult], kdtree: dict[str, Timing]) -> str:
    """Per scenario: the KD-tree floor, then each backend's index, page and SQL timings."""
    header = ["case", "found", "KD-tree p50"]
    for r in results:
        header += [f"index {r.backend} p50 / p99", f"page {r.backend} p50", f"SQL {r.backend} p50"]
    rows = []
    for s in SCENARIOS:
        found = next((str(r.total[s.label]) for r in results if s.label in r.total), "–")
        row = [s.label, found, _ms(kdtree[s.label].p50) if s.label in kdtree else "–"]
        for r in results:
            row += [
                _pair(r.index.get(s.label)),
                _ms(_p50(r.page.get(s.label))),
                _ms(_p50(r.sql.get(s.label))),
            ]
        rows.append(row)
    return f"**{size:,} meetings** (milliseconds)\n\n" + table(header, rows)


def _p50(t: Timing | None) -> float:
    return math.nan if t is None else t.p50


def breakdown_table(timings: Sequence[tuple[str, Timing]]) -> str:
    rows = [[label, _ms(t.p50), _ms(t.p99)] for label, t in timings]
    return table(["step (in-process, Flask test client)", "p50 ms", "p99 ms"], rows)


def build_table(rows: Sequence[tuple[int, BackendResult]], kd_builds: dict[int, float]) -> str:
    body = [
        [
            f"{size:,}",
            r.backend,
            f"{r.build_s:.2f}",
            f"{r.index_mb:.0f}",
            f"{r.retained_mb:.0f}",
            f"{r.peak_mb:.0f}",
            f"{kd_builds.get(size, math.nan):.2f}",
            _pair(r.floor),
        ]
        for size, r in rows
    ]
    header = [
        "meetings",
        "database",
        "index build s",
        "index arrays MB",
        "RSS kept MB",
        "RSS peak during build MB",
        "KD-tree build s",
        "request floor p50 / p99 ms",
    ]
    return table(header, body)


def http_table(label: str, loads: Sequence[Load], memory_mb: float, tool: str) -> str:
    health = next((x for x in loads if x.path == "/healthz" and x.status == "ok"), None)
    quiet = {x.path: x for x in loads if "writes every second" not in x.label}
    rows = []
    for x in loads:
        ratio = "–"
        if x.status == "ok" and x.ratio == x.ratio:  # interleaved rounds: their median
            spread = f" ({min(x.ratios):.2f}–{max(x.ratios):.2f})" if len(x.ratios) > 1 else ""
            ratio = f"{x.ratio:.2f}x{spread}"
        elif health is not None and x.status == "ok":
            ratio = f"{x.p50_ms / health.p50_ms:.2f}x"
        calm = quiet.get(x.path)
        writes = "–"
        if calm is not None and calm is not x and x.status == "ok":
            writes = f"{x.p50_ms / calm.p50_ms:.2f}x / {x.max_ms / calm.p50_ms:.1f}x"
        rows.append(
            [
                x.label,
                x.status,
                _ms(x.p50_ms),
                _ms(x.p99_ms),
                f"{x.rps:.0f}" if x.rps == x.rps else "–",
                ratio,
                writes,
                f"{x.bytes / 1024:.1f}",
            ]
        )
    header = [
        "endpoint",
        "status",
        "p50 ms",
        "p99 ms",
        "req/s",
        "p50 / healthz p50 (median of rounds; their range)",
        "with writes: p50 / quiet p50, slowest / quiet p50 (targets 1.5x, 10x)",
        "body KB as sent",
    ]
    note = (
        f"\n\n{label}; load by {tool}, 32 connections, Accept-Encoding: gzip; "
        f"largest worker peak RSS {memory_mb:.0f} MB"
    )
    return table(header, rows) + note


def import_table(runs: Sequence[ImportRun], startup_s: float, startup_mb: float) -> str:
    rows = []
    for run in runs:
        net = run.seconds - startup_s
        rows.append(
            [
                run.label,
                f"{run.meetings:,}",
                run.status,
                f"{run.seconds:.1f}",
                f"{run.meetings / net:,.0f}" if net > 0 and run.status == "ok" else "–",
                f"{run.peak_mb:.0f}",
            ]
        )
    header = ["import", "meetings", "status", "seconds", "meetings/s", "peak RSS MB"]
    note = (
        f"\n\nmeetings/s leaves out the command's start-up ({startup_s:.1f} s, measured alone; "
        f"the command doing nothing peaks at {startup_mb:.0f} MB)."
    )
    return table(header, rows) + note
