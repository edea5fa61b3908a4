"""Page weight over the wire (as gunicorn sends it to a browser asking for gzip) and Lighthouse.

`python -m bench --pages` serves the 100,000-meeting SQLite dataset with gunicorn and
measures the home page, a results page and a meeting page: the bytes the app sends to a
client that accepts gzip, and whether each static file may be cached. Lighthouse runs when a
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
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.data import EXTRA_DENSE
from bench.endtoend import ACCEPT, WORK, free_port, start_server, stop_server, wait_ready

CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')
MAX_AGE = re.compile(r"max-age=(\d+)")


@dataclass
class Sent:
    """One response: its size decoded and as sent, and the headers that matter."""

    raw: int
    sent: int
    encoding: str
    cache: str

    @property
    def cached(self) -> bool:
        """A browser may reuse it without asking again."""
        age = MAX_AGE.search(self.cache)
        return bool(age and int(age.group(1)) > 0) and "no-cache" not in self.cache


@dataclass
class PageWeight:
    label: str
    path: str
    html: Sent
    assets: dict[str, Sent] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def first_visit(self) -> int:
        return self.html.sent + sum(a.sent for a in self.assets.values())

    @property
    def repeat_visit(self) -> int:
        return self.html.sent + sum(a.sent for a in self.assets.values() if not a.cached)


def _get(url: str) -> tuple[bytes, Sent]:
    request = urllib.request.Request(url, headers=ACCEPT)
    with urllib.request.urlopen(request, timeout=30) as response:
        sent = response.read()
        encoding = response.headers.get("Content-Encoding", "")
        cache = response.headers.get("Cache-Control", "")
    body = gzip.decompress(sent) if encoding == "gzip" else sent
    return body, Sent(len(body), len(sent), encoding or "identity", cache)


def weigh(base: str, label: str, path: str) -> PageWeight:
    body, html = _get(base + path)
    page = PageWeight(label, path, html)
    for asset in sorted(set(ASSET.findall(body.decode()))):
        page.assets[asset] = _get(base + asset)[1]
    return page


def lighthouse_command() -> str | None:
    return os.environ.get("BENCH_LIGHTHOUSE") or shutil.which("lighthouse")


def lighthouse(command: str, url: str) -> dict[str, float]:
    """Category scores (0-100) of a mobile Lighthouse run."""
    out = WORK / "lighthouse.json"
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    out.unlink(missing_ok=True)
    done = subprocess.run(
        [command, url, "--output=json", f"--output-path={out}", "--quiet",
         "--only-categories=performance,accessibility,best-practices",
         f"--chrome-flags={CHROME_FLAGS}"],
        env=env, check=False, timeout=180, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0 or not out.exists():
        # Reported in the table rather than ending the run: the weights still stand.
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"lighthouse failed on {url}: {last}", file=sys.stderr)
        return {}
    report = json.loads(out.read_text())
    return {k: round(v["score"] * 100) for k, v in report["categories"].items()}


# Issue #14: first visit over the wire. The results page shows 25 meetings; its budget is
# the 50-result page's (40 KB), which it must meet with room to spare.
BUDGETS_KB = {"home": 15, "results": 40}


def run_pages(database_url: str) -> tuple[list[PageWeight], str | None]:
    """Weights (and Lighthouse scores when it is there) of home, results, meeting and help."""
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
        pages.append(("help now", "/help"))
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
        scores = ", ".join(f"{k} {v:.0f}" for k, v in page.scores.items())
        scores = scores or ("failed (see the run's output)" if command else "not run")
        budget = next((kb for name, kb in BUDGETS_KB.items() if page.label.startswith(name)), None)
        verdict = (
            "–"
            if budget is None
            else (f"<= {budget} KB: " + ("met" if page.first_visit <= budget * 1024 else "NOT met"))
        )
        rows.append(
            [page.label, f"{page.html.raw / 1024:.1f}",
             f"{page.html.sent / 1024:.1f} ({page.html.encoding})",
             f"{page.first_visit / 1024:.1f}", f"{page.repeat_visit / 1024:.1f}", verdict, scores]
        )  # fmt: skip
    header = [
        "page",
        "HTML KB",
        "HTML as sent KB",
        "first visit KB as sent (HTML + CSS + JS + icon)",
        "repeat visit KB (what is not cached)",
        "budget, first visit",
        "Lighthouse (mobile)",
    ]
    assets = {a: v for page in weights for a, v in page.assets.items()}
    lines = [
        f"- `{Path(a).name}`: {s.raw / 1024:.1f} KB, sent {s.sent / 1024:.1f} KB "
        f"({s.encoding}), Cache-Control `{s.cache or 'none'}`"
        for a, s in sorted(assets.items())
    ]
    note = "Lighthouse: " + (command or "not installed (npm install lighthouse@12)")
    return table(header, rows) + "\n\nStatic files:\n" + "\n".join(lines) + f"\n\n{note}"
