"""Template helpers: formatting filters, hashed static URLs, the demo-data notice."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from babel import numbers
from flask import Flask, current_app, request, url_for
from sqlalchemy import select

from finder.db import get_session
from finder.geo import KM_PER_MILE
from finder.i18n import current_language
from finder.i18n import gettext as _
from finder.models import Source
from finder.nearby import ATTENDANCE_LABELS
from finder.schedule import tz_abbreviation, weekly_zone


@lru_cache(maxsize=64)
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def static_url(filename: str) -> str:
    """A static file's URL with a content hash, so it can be cached for a year.

    Outside debug mode the files do not change while the app runs, so each URL is worked
    out once (per script root); in debug mode an edited file gets a new URL at once.
    """
    if current_app.debug:
        return _static_url(filename)
    kept: dict[tuple[str, str], str] = current_app.extensions.setdefault("finder.static_urls", {})
    key = (filename, request.script_root)
    url = kept.get(key)
    if url is None:
        url = kept[key] = _static_url(filename)
    return url


def _static_url(filename: str) -> str:
    static_folder = current_app.static_folder or "static"
    path = Path(static_folder) / filename
    version = _file_hash(str(path), path.stat().st_mtime) if path.exists() else "0"
    return url_for("static", filename=filename, v=version)


def format_distance(km: float, miles: bool, rough: bool = False) -> str:
    """How far, as a card says it: "2.3 mi", "< 0.1 mi". To a rough pin (its town's or ZIP
    code's point) "about 2.3 mi", and "about 0.1 mi" when closer, not "about < 0.1 mi"."""
    if isinstance(km, str):  # a marker: the card is being kept (search/card_cache.py)
        return km
    value = km / KM_PER_MILE if miles else km
    unit = "mi" if miles else "km"
    if value < 0.1 and not rough:
        return f"< {decimal(0.1, 1)} {unit}"
    value = max(value, 0.1)
    shown = f"{decimal(value, 1)} {unit}" if value < 10 else f"{decimal(value, 0)} {unit}"
    return _("about %(distance)s", distance=shown) if rough else shown


def decimal(value: float, places: int) -> str:
    """2.5 in English, 2,5 where the language writes a decimal comma."""
    language = current_language()
    if language == "en":
        return f"{value:.{places}f}"
    pattern = "0." + "0" * places if places else "0"
    return str(numbers.format_decimal(value, pattern, locale=language))


def demo_data_present() -> bool:
    session = get_session()
    return session.scalar(select(Source.id).where(Source.kind == "demo").limit(1)) is not None


def init_app(app: Flask) -> None:
    # clock, day_name, long_date, number, type_name and the fellowship names follow the
    # language: finder/i18n.py.
    app.jinja_env.filters.update(
        distance=format_distance,
        tzabbr=tz_abbreviation,
        weekly_zone=weekly_zone,
        attendance_label=lambda key: ATTENDANCE_LABELS.get(key, key),
    )
    app.jinja_env.globals.update(static_url=static_url)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
