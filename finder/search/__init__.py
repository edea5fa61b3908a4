"""Search pages: the home page, the results list and the meeting page."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint

bp = Blueprint("search", __name__)


def now_utc() -> dt.datetime:
    """The current instant; tests monkeypatch this to freeze time."""
    return dt.datetime.now(dt.UTC)


from finder.search import views  # noqa: E402, F401  (registers the routes on bp)
