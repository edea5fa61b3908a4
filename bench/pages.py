"""Page weight over the wire (gzip, as a compressing proxy sends it) and Lighthouse scores.

`python -m bench --pages` serves the 100,000-meeting SQLite dataset with gunicorn and
measures the home page, a results page and a meeting page. Lighthouse runs when a
`lighthouse` command is found (BENCH_LIGHTHOUSE, or on PATH: `npm install lighthouse@12`)
with Debian's Chromium, in its default mobile emulation.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.data import EXTRA_DENSE
from bench.endtoend import WORK, free_port, start_server, stop_server, wait_ready

CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


@dataclass
class PageWeight:
    label: str
    path: str
    html: int = 0
    html_gzip: int = 0
    assets: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # raw, gzip, cache
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def first_visit_gzip(self) -> int:
        return self.html_gzip + sum(gz for _, gz, _ in self.assets.values())


def _get(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), dict(response.headers.items())


def weigh(base: str, label: str, path: str) -> PageWeight:
    body, _ = _get(base + path)
    page = PageWeight(label, path, len(body), len(gzip.compress(body, 6)))
    for asset in sorted(set(ASSET.findall(body.decode()))):
        data, headers = _get(base + asset)
        cache = headers.get("Cache-Control", "")
        page.assets[asset] = (len(data), len(gzip.compress(data, 6)), cache)
    return page


def lighthouse_command() -> str | None:
    return os.environ.get("BENCH_LIGHTHOUSE") or shutil.which("lighthouse")


def lighthouse(command: str, url: str) -> dict[str, float]:
    """Category scores (0-100) of a mobile Lighthouse run."""
    out = WORK / "lighthouse.json"
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(
        [command, url, "--output=json", f"--output-path={out}", "--quiet",
         "--only-categories=performance,accessibility,best-practices",
         f"--chrome-flags={CHROME_FLAGS}"],
        env=env, check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    report = json.loads(out.read_text())
    return {k: round(v["score"] * 100) for k, v in report["categories"].items()}


def run_pages(database_url: str) -> tuple[list[PageWeight], str | None]:
    """Weights (and scores when Lighthouse is there) of the home, results and meeting pages."""
    WORK.mkdir(exist_ok=True)
    port = free_port()
    server = start_server(database_url, port, WORK / "gunicorn-pages.log")
    base = f"http://127.0.0.1:{port}"
    command = lighthouse_command()
    try:
        wait_ready(port, server)
        results_path = f"/meetings?lat={EXTRA_DENSE[1]}&lng={EXTRA_DENSE[2]}"
        body, _ = _get(base + results_path)
        slug = re.search(r'href="(/meetings/[^"?#]+)"', body.decode())
        pages = [("home", "/"), ("results (extra-dense, one page)", results_path)]
        if slug:
            pages.append(("meeting", slug.group(1)))
        weights = [weigh(base, label, path) for label, path in pages]
        if command:
            for page in weights:
                page.scores = lighthouse(command, base + page.path)
    finally:
        stop_server(server)
    return weights, command


def pages_table(weights: list[PageWeight], command: str | None) -> str:
    from bench.report import table

    rows = []
    for page in weights:
        scores = ", ".join(f"{k} {v:.0f}" for k, v in page.scores.items()) or "not run"
        rows.append(
            [page.label, f"{page.html / 1024:.1f}", f"{page.html_gzip / 1024:.1f}",
             f"{page.first_visit_gzip / 1024:.1f}", scores]
        )  # fmt: skip
    header = [
        "page",
        "HTML KB",
        "HTML gzip KB",
        "first visit gzip KB (HTML + CSS + JS)",
        "Lighthouse (mobile)",
    ]
    assets = {a: v for page in weights for a, v in page.assets.items()}
    lines = [
        f"- `{Path(a).name}`: {raw / 1024:.1f} KB, {gz / 1024:.1f} KB gzip, "
        f"Cache-Control `{cache or 'none'}`"
        for a, (raw, gz, cache) in sorted(assets.items())
    ]
    note = "Lighthouse: " + (command or "not installed (npm install lighthouse@12)")
    return table(header, rows) + "\n\nStatic files:\n" + "\n".join(lines) + f"\n\n{note}"
