"""`flask.g` without its proxy, for what a page asks for hundreds of times.

Reading `g.name` goes through werkzeug's LocalProxy: about 2 microseconds on the
benchmark machine, where the context variable behind it takes 0.06. The catalog and the
language (finder.i18n) are read a few hundred times a results page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request
from flask.globals import _cv_app  # Flask's own context variable behind `g`


def app_globals() -> Any | None:
    """This application context's `g`, or None outside one."""
    context = _cv_app.get(None)
    return None if context is None else context.g


def page_args() -> list[tuple[str, str]]:
    """This page's query arguments, to carry into its own links (the language switch,
    the star's way back). A ?tz= that names no zone is left out: the page ignores it,
    and a long one would be copied into every link."""
    from finder.accounts.timezones import is_known_zone  # it needs finder.i18n first

    return [
        (key, value)
        for key, value in request.args.items(multi=True)
        if key != "tz" or is_known_zone(value)
    ]


def page_path() -> str:
    """This page's path and query as it came, less a ?tz= that names no zone: where the
    star form returns to, and (on the public host) the page's link preview address."""
    args = page_args()
    if len(args) == len(list(request.args.items(multi=True))):
        query = request.query_string.decode("utf-8", "replace")  # as it came
    else:
        query = urlencode(args)
    return f"{request.path}?{query}" if query else request.path
