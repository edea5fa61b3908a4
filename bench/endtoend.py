"""End to end: gunicorn (2 sync workers, gunicorn.conf.py) on 127.0.0.1, loaded by wrk.

Every endpoint is measured against /healthz on the same server in the same run, so the
ratios hold even on a busy machine. Requests ask for gzip, as browsers do, so the app's own
compression is part of what is measured and the body size is what is sent. Without wrk a
small Python load generator (bounded in requests and time) stands in; its own CPU use makes
every number worse.
"""

from __future__ import annotations

import http.client
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.data import DENSE, EXTRA_DENSE

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
CONNECTIONS = 32
ACCEPT = {"Accept-Encoding": "gzip"}  # what every browser sends


@dataclass
class Load:
    """One endpoint under load."""

    label: str
    path: str
    status: str = "ok"
    p50_ms: float = math.nan
    p99_ms: float = math.nan
    rps: float = math.nan
    bytes: int = 0  # as sent (gzip when the app compresses it)
    max_ms: float = math.nan
    # The median over interleaved rounds of p50 / /healthz's p50 in the same round.
    ratio: float = math.nan
    ratios: list[float] = field(default_factory=list)


def endpoints() -> list[tuple[str, str]]:
    """(label, path). A path with @<number> in it asks for a new place on every request
    (see somewhere): the same URL again would be answered from what finder keeps for
    the rest of a minute (finder/kept_answers.py), like a ZIP code or a shared link."""

    def api(point: tuple[str, float, float], at: str = "") -> str:
        return f"/api/v1/meetings?lat={at}{point[1]}&lng={at}{point[2]}&radius_km=25"

    def page(point: tuple[str, float, float], at: str = "") -> str:
        return f"/meetings?lat={at}{point[1]:.3f}&lng={at}{point[2]:.3f}"

    return [
        ("/healthz", "/healthz"),
        ("API, dense, 25 km, 50 results", api(DENSE)),
        ("API, extra-dense, 25 km, 50 results", api(EXTRA_DENSE)),
        ("API, dense, a new place each request", api(DENSE, "@")),
        ("HTML results, dense, 10 mi", page(DENSE)),
        ("HTML results, extra-dense, 10 mi", page(EXTRA_DENSE)),
        ("HTML results, dense, a new place each request", page(DENSE, "@")),
    ]


PLACE = re.compile(r"@(-?[\d.]+)")
SPREAD = 0.15  # degrees either way: 90,000 places at three decimals, so repeats are rare


def somewhere(path: str, rng: random.Random) -> str:
    """The path with each @<number> a random three-decimal number within SPREAD of it."""
    return PLACE.sub(lambda m: f"{float(m.group(1)) + rng.uniform(-SPREAD, SPREAD):.3f}", path)


def wrk_script(path: str) -> Path:
    """A wrk script asking for somewhere(path) on each request, each thread its own draws."""
    numbers = [float(n) for n in PLACE.findall(path)]
    pattern = PLACE.sub("%.3f", path.replace("%", "%%"))
    draws = ", ".join(f"{n} + (math.random() * 2 - 1) * {SPREAD}" for n in numbers)
    script = WORK / "new-place.lua"
    script.write_text(
        "local threads = 0\n"
        "function setup(thread) threads = threads + 1; thread:set('id', threads) end\n"
        "function init(args) math.randomseed(os.time() * 100 + id) end\n"
        "function request()\n"
        f'  return wrk.format(nil, string.format("{pattern}", {draws}))\n'
        "end\n"
    )
    return script


PORTS = range(5180, 5200)  # the benchmark's own ports


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def start_server(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark-only",
        "FINDER_ENV": "production",
        "RATELIMIT_ENABLED": "0",  # the API allows 120 requests a minute per client
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESSLOG": "",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with log.open("wb") as out:
        return subprocess.Popen(
            [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited: see bench/.work/gunicorn.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def probe(port: int, path: str) -> tuple[str, int, str]:
    """("ok", size as sent, path), or why the endpoint cannot be measured. A redirect is
    followed (at most three) and the final path is the one measured: wrk counts a 302 as a
    success."""
    if PLACE.search(path):  # one of its places stands for them all
        status, size, _path = probe(port, somewhere(path, random.Random(1)))
        return status, size, path
    opener = urllib.request.build_opener(_NoRedirects)
    for _ in range(4):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=ACCEPT)
        try:
            with opener.open(request, timeout=30) as r:
                return "ok", len(r.read()), path
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                path = urllib.parse.urljoin(path, exc.headers["Location"])
                continue
            if exc.code == 404:
                return "not measured yet (route missing)", 0, path
            return f"HTTP {exc.code}", 0, path
    return "redirect loop", 0, path


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


Measured = tuple[float, float, float, int, float]


def run_wrk(url: str, seconds: float) -> Measured:
    """(p50 ms, p99 ms, requests/s, failed requests, slowest ms)."""
    parts = urllib.parse.urlsplit(url)
    script: list[str] = []
    if PLACE.search(url):
        path = parts.path + "?" + parts.query
        script = ["-s", str(wrk_script(path))]
        url = f"{parts.scheme}://{parts.netloc}/"
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", *script,
         *(a for k, v in ACCEPT.items() for a in ("-H", f"{k}: {v}")), url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*timeout (\d+)", out)
    slowest = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", out, re.M)
    return (
        p50,
        p99,
        rps,
        (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0),
        _ms(slowest.group(1)) if slowest else math.nan,
    )


def run_python_load(port: int, path: str, seconds: float) -> Measured:
    """The same measure with threads: at most 20,000 requests or `seconds`."""
    latencies: list[float] = []
    failures = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client() -> None:
        rng = random.Random()
        while time.monotonic() < stop and len(latencies) < 20_000:
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", somewhere(path, rng), headers=ACCEPT)
            response = conn.getresponse()
            response.read()
            conn.close()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                failures[0] += response.status != 200

    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    begun = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - begun
    ordered = sorted(latencies)
    p99 = ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]
    rps = len(ordered) / elapsed
    return statistics.median(ordered), p99, rps, failures[0], ordered[-1]


def worker_memory_mb(master: int) -> float:
    """Peak resident memory (VmHWM) of the largest gunicorn worker."""
    peak = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peak = max(peak, int(found.group(1)) / 1024)
    return peak


def measure(port: int, label: str, path: str, seconds: float, tool: str) -> Load:
    """One endpoint under load (a redirect followed first)."""
    load = probed(port, label, path)
    if load.status == "ok":
        load.p50_ms, load.p99_ms, load.rps, failed, load.max_ms = loaded(
            port, load.path, seconds, tool
        )
        if failed:
            load.status = f"{failed} failed requests"
    return load


def probed(port: int, label: str, path: str) -> Load:
    """The endpoint's status and size as sent, its redirect followed."""
    load = Load(label, path)
    load.status, load.bytes, load.path = probe(port, path)
    if load.path != path:
        load.label += f" (redirected to {urllib.parse.urlsplit(load.path).query})"
    return load


def loaded(port: int, path: str, seconds: float, tool: str) -> Measured:
    if tool == "wrk":
        return run_wrk(f"http://127.0.0.1:{port}{path}", seconds)
    return run_python_load(port, path, seconds)


ROUNDS = 3


def measure_interleaved(port: int, seconds: float, tool: str) -> list[Load]:
    """Every endpoint in ROUNDS rounds of seconds / ROUNDS each, one after the other.

    A shared machine's speed drifts over a run; a ratio to /healthz taken within each
    round, whose parts ran seconds apart, is far steadier than one between runs a minute
    apart. Each endpoint's p50 and ratio are the medians over the rounds.
    """
    loads = [probed(port, label, path) for label, path in endpoints()]
    rounds: list[list[Measured]] = [[] for _ in loads]
    for _ in range(ROUNDS):
        for load, measured in zip(loads, rounds, strict=True):
            if load.status == "ok":
                measured.append(loaded(port, load.path, seconds / ROUNDS, tool))
    health = next((i for i, x in enumerate(loads) if x.path == "/healthz"), None)
    for load, measured in zip(loads, rounds, strict=True):
        if not measured:
            continue
        load.p50_ms = statistics.median(m[0] for m in measured)
        load.p99_ms = statistics.median(m[1] for m in measured)
        load.rps = statistics.mean(m[2] for m in measured)
        load.max_ms = max(m[4] for m in measured)
        failed = sum(m[3] for m in measured)
        if failed:
            load.status = f"{failed} failed requests"
        if health is not None and len(rounds[health]) == len(measured):
            load.ratios = [m[0] / h[0] for m, h in zip(measured, rounds[health], strict=True)]
            load.ratio = statistics.median(load.ratios)
    return loads


def with_writer(
    database_url: str, port: int, quiet: list[Load], seconds: float, tool: str
) -> list[Load]:
    """The API and the page again while bench.writer edits meetings every second."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.writer", database_url, str(seconds * 3 + 10)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(2)  # its first writes land before the load starts
        return [
            measure(port, f"{x.label.split(' (')[0]}, writes every second", x.path, seconds, tool)
            for x in quiet
            if x.path != "/healthz"
            and "extra-dense" not in x.label
            and not PLACE.search(x.path)
            and x.status == "ok"
        ]
    finally:
        writer.terminate()
        writer.wait(30)


def run_http(
    database_url: str, seconds: float, writes: bool = True
) -> tuple[list[Load], float, str]:
    """Every endpoint under load (then again beside a writer), the workers' peak memory,
    and the load generator used."""
    WORK.mkdir(exist_ok=True)
    port = free_port()
    server = start_server(database_url, port, WORK / "gunicorn.log")
    tool = "wrk" if shutil.which("wrk") else "python threads"
    results: list[Load] = []
    try:
        wait_ready(port, server)
        results += measure_interleaved(port, seconds, tool)
        if writes:
            results += with_writer(database_url, port, results, seconds, tool)
        memory = worker_memory_mb(server.pid)
    finally:
        stop_server(server)
    return results, memory, tool
