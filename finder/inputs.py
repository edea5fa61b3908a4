"""Odd input refused before any view runs: NUL bytes anywhere, ids no table can hold."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

from finder.i18n import gettext as _

MAX_ID = 2**31 - 1  # the largest INTEGER primary key on PostgreSQL (and 32-bit anywhere)


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in every route: 1 to 2^31-1 with at most 10 digits, else 404 (never 500)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
        self.regex = r"\d{1,10}"


def refuse_nul_bytes() -> None:
    """A NUL byte is never typed by a person and PostgreSQL cannot store one.

    In the path: no page has that address (404). In a form: 400. Query strings are the
    views' to clean (the search drops control characters and searches the rest).
    """
    if "\x00" in request.path:
        abort(404)
    if request.method == "POST" and request.mimetype in _FORM_TYPES:
        values = [*request.form.values(), *request.form.keys()]
        if any("\x00" in value for value in values):
            abort(400, _("That form has a character we can't use (a NUL byte). "
                         "Please go back and type it again."))  # fmt: skip


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def init_app(app: Flask) -> None:
    """Before any blueprint: routes compile their converters when they are registered."""
    app.url_map.converters["int"] = RecordIdConverter
    app.before_request(refuse_nul_bytes)
