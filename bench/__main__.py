"""python -m bench [--quick]: the tables of bench/README.md, measured on this machine."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from pathlib import Path

from bench import breakdown, databases, endtoend, feedbuild, feeds, inprocess, pages, report
from bench.data import generate

QUICK = {"sizes": (10_000, 100_000), "reps": 30, "sql_reps": 5, "http_s": 6, "feed": 2_000}
FULL = {
    "sizes": (10_000, 100_000, 1_000_000),
    "reps": 200,
    "sql_reps": 20,
    "http_s": 10,
    "feed": 20_000,
}
HTTP_SIZE = 100_000


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k and 100k, fewer runs (< 2 min)")
    parser.add_argument("--sizes", help="comma-separated dataset sizes instead of the mode's")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn runs")
    parser.add_argument("--no-import", action="store_true", help="skip the feed import runs")
    parser.add_argument("--pages", action="store_true", help="only page weights and Lighthouse")
    parser.add_argument(
        "--out", help="where to write the tables (default bench/.work/results-*.md)"
    )
    return parser.parse_args(argv)


def settle() -> None:
    """Keep the dataset's million Python objects out of later garbage collections."""
    gc.collect()
    gc.freeze()


def search_section(
    size: int, settings: dict, args: argparse.Namespace, out: list[str], builds: list
) -> None:
    data = generate(size)
    settle()
    say(f"{size:,} meetings: KD-tree baseline")
    kdtree, kd_build = inprocess.kdtree_baseline(data, settings["reps"])
    say(f"{size:,} meetings: SQLite")
    sqlite_url = databases.sqlite_file(data)
    results = [inprocess.run_backend("SQLite", sqlite_url, settings["reps"], settings["sql_reps"])]
    http_runs = []
    if size == HTTP_SIZE:
        say(f"{size:,} meetings: request breakdown on SQLite")
        steps = breakdown.run_breakdown(sqlite_url, settings["reps"])
        out.append(
            f"**Where a request's time goes, {size:,} meetings, SQLite**\n\n"
            + report.breakdown_table(steps)
        )
    if size == HTTP_SIZE:
        say(f"{size:,} meetings: the published feed")
        out.append(
            f"**The feed (`/api/v1/feed.json`), {size:,} meetings, SQLite**\n\n"
            + feedbuild.feed_table(feedbuild.run_feed_build(sqlite_url))
        )
    if size == HTTP_SIZE and not args.no_http:
        say(f"{size:,} meetings: gunicorn on SQLite")
        copy = feedbuild.sqlite_copy(sqlite_url, "http.sqlite3")  # the writer edits it
        http_runs.append(("SQLite", endtoend.run_http(f"sqlite:///{copy}", settings["http_s"])))
    if not args.no_postgres:
        say(f"{size:,} meetings: PostgreSQL")
        with databases.postgres_database(data) as pg_url:
            if pg_url is not None:
                results.append(
                    inprocess.run_backend(
                        "PostgreSQL", pg_url, settings["reps"], settings["sql_reps"]
                    )
                )
                if size == HTTP_SIZE and not args.no_http:
                    say(f"{size:,} meetings: gunicorn on PostgreSQL")
                    http_runs.append(("PostgreSQL", endtoend.run_http(pg_url, settings["http_s"])))
    out.append(report.search_table(size, results, kdtree))
    builds.extend((size, r) for r in results)
    builds_kd[size] = kd_build
    for backend, (loads, memory, tool) in http_runs:
        out.append(
            f"**End to end, {size:,} meetings, {backend}**\n\n"
            + report.http_table("gunicorn, 2 sync workers, gunicorn.conf.py", loads, memory, tool)
        )


builds_kd: dict[int, float] = {}


def import_section(size: int, args: argparse.Namespace, out: list[str]) -> None:
    exists, _, _ = feeds.startup()  # the first run also warms the file cache
    if not exists:
        out.append("**Feed import**: not measured yet (`flask --app wsgi import-feed` is missing).")
        return
    _, startup, startup_peak = feeds.startup()
    sqlite_path = databases.WORK / "import.sqlite3"
    for path in (
        sqlite_path,
        sqlite_path.with_name("import.sqlite3-wal"),
        sqlite_path.with_name("import.sqlite3-shm"),
    ):
        path.unlink(missing_ok=True)
    urls = {"SQLite": f"sqlite:///{sqlite_path}"}
    with databases.postgres_database(None, tag="import") as pg_url:
        if pg_url is not None and not args.no_postgres:
            urls["PostgreSQL"] = pg_url
        say(f"feed import of {size:,} meetings")
        runs = feeds.run_imports(size, urls)
    out.append(
        "**Feed import** (`flask --app wsgi import-feed`, a generated Meeting Guide feed)\n\n"
        + report.import_table(runs, startup, startup_peak)
    )


def pages_only(args: argparse.Namespace) -> int:
    say("page weights (100,000 meetings, SQLite)")
    weights, command = pages.run_pages(databases.sqlite_file(generate(HTTP_SIZE)))
    text = f"### Pages: {report.machine()}\n\n" + pages.pages_table(weights, command)
    print(text)
    target = Path(args.out or databases.WORK / "results-pages.md")
    target.write_text(text + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    settings = dict(QUICK if args.quick else FULL)
    if args.sizes:
        settings["sizes"] = tuple(int(s) for s in args.sizes.split(","))
    logging.disable(logging.INFO)
    if args.pages:
        return pages_only(args)
    began = time.perf_counter()
    out = [f"### {'Quick' if args.quick else 'Full'} run: {report.machine()}"]
    builds: list = []
    for size in settings["sizes"]:
        search_section(size, settings, args, out, builds)
    out.append("**Index build and memory**\n\n" + report.build_table(builds, builds_kd))
    if not args.no_import:
        import_section(settings["feed"], args, out)
    out.append(
        f"_Run took {time.perf_counter() - began:.0f} s; load average at the end "
        f"{', '.join(f'{x:.2f}' for x in __import__('os').getloadavg())}._"
    )
    text = "\n\n".join(out)
    print(text)
    target = Path(args.out or databases.WORK / f"results-{'quick' if args.quick else 'full'}.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n")
    say(f"written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
