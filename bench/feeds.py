"""Feed import speed: `flask --app wsgi import-feed` on a generated Meeting Guide feed.

The feed has coordinates and time zones, so nothing is geocoded: this measures parsing,
comparing and writing. Each import runs in its own process; its peak memory comes from
that process's resource usage.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.data import FELLOWSHIPS, Dataset, clock, generate

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"


@dataclass
class ImportRun:
    label: str
    meetings: int
    seconds: float = math.nan
    peak_mb: float = math.nan
    status: str = "ok"

    @property
    def per_second(self) -> float:
        return self.meetings / self.seconds if self.seconds else math.nan


def feed_rows(data: Dataset) -> list[dict[str, object]]:
    """Meeting Guide rows for a dataset (aa only, one feed)."""
    rows = []
    for i in range(data.size):
        place = int(data.meeting_place[i])
        start, end = clock(int(data.start[i])), clock(int(data.end[i]))
        row: dict[str, object] = {
            "name": f"Meeting {i}",
            "slug": f"feed-{i}",
            "location": f"Hall {place}",
            "address": f"{place} Main St",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "country": "US",
            "latitude": round(float(data.place_lat[place]), 6),
            "longitude": round(float(data.place_lng[place]), 6),
            "timezone": data.place_tz[place],
            "types": json.loads(data.types[i]),
        }
        if start is not None and int(data.day[i]) >= 0:
            row |= {"day": int(data.day[i]), "time": start.strftime("%H:%M")}
            if end is not None:
                row["end_time"] = end.strftime("%H:%M")
        if data.online[i]:
            row["conference_url"] = "https://zoom.us/j/123456789"
        rows.append(row)
    return rows


# Runs the flask command and, at exit, writes its own peak memory (VmHWM) to a file: the
# getrusage peak of a child starts at the parent's size, which says nothing here.
PEAK_WRAPPER = """
import atexit, sys
target = sys.argv.pop(1)
def peak():
    with open("/proc/self/status") as status, open(target, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")))
atexit.register(peak)
sys.argv[0] = "flask"
from flask.cli import main
main()
"""


def _flask(args: list[str], database_url: str) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak MB, output) of one flask command in its own process."""
    env = {**os.environ, "DATABASE_URL": database_url, "FINDER_ENV": "development"}
    WORK.mkdir(exist_ok=True)
    peak_file = WORK / "peak.txt"
    peak_file.unlink(missing_ok=True)
    command = [sys.executable, "-c", PEAK_WRAPPER, str(peak_file), "--app", "wsgi", *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = math.nan
    if peak_file.exists():
        peak = int(peak_file.read_text().split()[1]) / 1024
    return done.returncode, seconds, peak, done.stdout + done.stderr


def startup() -> tuple[bool, float, float]:
    """(import-feed exists, seconds and peak MB of the command doing nothing)."""
    code, seconds, peak, _ = _flask(["import-feed", "--help"], "sqlite://")
    return code == 0, seconds, peak


def run_imports(size: int, database_urls: dict[str, str]) -> list[ImportRun]:
    """A first import and an unchanged re-import of a `size`-meeting feed, per database."""
    WORK.mkdir(exist_ok=True)
    feed = WORK / f"feed_{size}.json"
    feed.write_text(json.dumps(feed_rows(generate(size))))
    runs = []
    for backend, url in database_urls.items():
        code, _, _, output = _flask(["init-db"], url)
        if code != 0:
            runs.append(ImportRun(f"{backend}: init-db failed", size, status=output[-200:]))
            continue
        for label in ("first import", "re-import, unchanged"):
            code, seconds, peak, output = _flask(
                ["import-feed", str(feed), "--fellowship", FELLOWSHIPS[0], "--name", "bench"], url
            )
            run = ImportRun(f"{backend}, {label}", size, seconds, peak)
            if code != 0:
                run.status = output.strip().splitlines()[-1][:200] if output.strip() else "failed"
            runs.append(run)
    return runs


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
