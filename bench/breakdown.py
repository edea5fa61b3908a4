"""Where a request's time goes, in-process (Flask's test client, no server, no network).

Requests ask for gzip as browsers do; the last rows time that compression alone (zlib-ng).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from zlib_ng import zlib_ng

from bench.data import DENSE, EXTRA_DENSE
from bench.endtoend import ACCEPT, PLACE, endpoints, somewhere
from bench.inprocess import NOW, Timing, measure
from finder import create_app
from finder.compression import GZIP_LEVEL, GZIP_WBITS
from finder.db import new_session
from finder.nearby import Filters, find_hits, load_results, search_hits

ANY = Filters()


def _parts(point: tuple[str, float, float]) -> list[tuple[str, Callable[[], Any]]]:
    name, lat, lng = point

    def hits_page() -> None:
        with new_session() as session:
            search_hits(session, lat, lng, 25, ANY, NOW, sort="distance", limit=50)

    def hits_all() -> None:
        with new_session() as session:
            find_hits(session, lat, lng, 25, ANY, NOW, "distance")

    with new_session() as session:
        page = search_hits(session, lat, lng, 25, ANY, NOW, sort="distance", limit=50).hits

    def rows() -> None:
        with new_session() as session:
            load_results(session, page)

    return [
        (f"{name}: search_hits, first 50 of 25 km", hits_page),
        (f"{name}: find_hits, every hit in 25 km", hits_all),
        (f"{name}: load_results, 50 full rows (one Core query)", rows),
    ]


def _serialize(point: tuple[str, float, float]) -> list[tuple[str, Callable[[], Any]]]:
    """The API's own per-meeting JSON, built as the API builds it."""
    from finder import api

    _, lat, lng = point
    with new_session() as session:
        hits = search_hits(session, lat, lng, 25, ANY, NOW, sort="distance", limit=50).hits
        results = load_results(session, hits)

    def build() -> None:
        if hasattr(api, "meeting_urls"):  # one URL prefix per request
            urls = api.meeting_urls()
            [api.meeting_json(r, urls) for r in results]
        else:
            [api.meeting_json(r) for r in results]

    return [(f"{point[0]}: API meeting_json x 50", build)]


def _compress(bodies: list[tuple[str, bytes]]) -> list[tuple[str, Callable[[], Any]]]:
    """gzip of each answer the app would compress, as finder.compression does it (zlib-ng,
    level 6)."""

    def job(body: bytes) -> Callable[[], Any]:
        return lambda: zlib_ng.compress(body, GZIP_LEVEL, GZIP_WBITS)

    return [
        (f"gzip {label}, {len(body) / 1024:.0f} KB", job(body))
        for label, body in bodies
        if len(body) >= 500  # the app sends smaller answers as they are
    ]


def run_breakdown(database_url: str, reps: int) -> list[tuple[str, Timing]]:
    config = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench",
        "SEARCH_INDEX": "sync",
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME_FOR_LINKS": "http://localhost",
    }
    app = create_app(config)
    client = app.test_client()
    timings: list[tuple[str, Timing]] = []
    bodies: list[tuple[str, bytes]] = []
    rng = random.Random(1)
    for label, first in endpoints():
        # A path with @<number> asks for a new place each time: the same path again is
        # answered from what finder keeps for a minute (finder/kept_answers.py).
        places = bool(PLACE.search(first))
        path = first
        response = client.get(somewhere(first, rng) if places else first)
        for _ in range(3):  # measure where a redirect leads, not the redirect
            if response.status_code not in (301, 302, 303, 307, 308):
                break
            path = urljoin(path, response.headers["Location"])
            response = client.get(path)

        def get(path: str = path, places: bool = places) -> None:
            client.get(somewhere(path, rng) if places else path, headers=ACCEPT).close()

        if response.status_code == 200:
            timings.append((f"GET {label}", measure(get, reps, budget_s=5)))
            bodies.append((label, response.get_data()))
    with app.test_request_context("/"):
        parts = _parts(DENSE) + _parts(EXTRA_DENSE) + _serialize(DENSE)
        parts += _compress(bodies)
        for label, fn in parts:
            timings.append((label, measure(fn, reps, budget_s=5)))
    app.extensions["finder.engine"].dispose()
    return timings
