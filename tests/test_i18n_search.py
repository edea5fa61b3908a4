"""The search pages, cards and their messages in Spanish.

The Spanish for these pages waits in translations/es/extra-spanish-b.json until the lead merges
it into messages.po. These tests read the catalog as it is plus that file when it is still there
(a merged catalog alone once it is gone), so they pass before and after the merge.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from finder.i18n import TRANSLATIONS, babel
from finder.models import Meeting
from finder.search.present import relative_day, starts_in

ROOT = Path(__file__).resolve().parent.parent
PENDING = TRANSLATIONS / "es" / "extra-spanish-b.json"
# The files whose words this change made translatable.
SEARCH_FILES = (
    "templates/search/",
    "templates/_macros.html",
    "templates/base.html",
    "templates/unavailable.html",
    "finder/search/",
    "finder/i18n.py",
    "finder/nearby.py",
    "finder/request_args.py",
)
NY = dt.timezone(dt.timedelta(hours=-5))


def spanish_catalog() -> Catalog:
    """messages.po with the pending translations (if any) added."""
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file, locale="es")
    pending = json.loads(PENDING.read_text("utf-8")) if PENDING.exists() else {}
    for key, value in pending.items():
        if isinstance(value, list):
            catalog.add(tuple(key.split("|")), tuple(value))
        else:
            catalog.add(key, value)
    return catalog


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    directory = tmp_path / "translations"
    mo_path = directory / "es" / "LC_MESSAGES" / "messages.mo"
    mo_path.parent.mkdir(parents=True)
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, spanish_catalog())
    return {"BABEL_TRANSLATION_DIRECTORIES": str(directory)}


@pytest.fixture(autouse=True)
def fresh_translations(app: Flask) -> Iterator[None]:
    """Flask-Babel keeps loaded catalogs per process: read this module's own, then forget it."""
    with app.app_context():
        cache = babel.domain_instance.cache
    cache.clear()
    yield
    cache.clear()


def test_every_search_string_has_spanish_with_its_placeholders() -> None:
    catalog = spanish_catalog()
    method_map = [("finder/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
    missing, broken = [], []
    for path, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        if not path.startswith(SEARCH_FILES):
            continue
        entry = catalog.get(message)
        strings = entry.string if entry is not None else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(message)
            continue
        originals = message if isinstance(message, tuple) else (message,)
        translated = strings if isinstance(strings, tuple) else (strings,)
        if isinstance(message, tuple) and len(translated) != catalog.num_plurals:
            broken.append((message, strings))  # Spanish has 3 plural forms in CLDR
        for original, text in zip(originals, translated, strict=False):
            if set(re.findall(r"%\(\w+\)s", original)) != set(re.findall(r"%\(\w+\)s", text)):
                broken.append((original, text))
    assert catalog.get("Today") is not None  # the pending words were read
    assert not missing, missing
    assert not broken, broken


def test_relative_days_and_starts_in_speak_spanish(app: Flask) -> None:
    now = dt.datetime(2026, 3, 2, 18, 0, tzinfo=NY)  # a Monday
    with app.test_request_context("/?lang=es"):
        assert relative_day(now + dt.timedelta(hours=1), now) == "Hoy"
        assert relative_day(now + dt.timedelta(days=1), now) == "Mañana"
        assert relative_day(dt.datetime(2026, 3, 3, 0, 0, tzinfo=NY), now) == "Esta noche"
        assert relative_day(now + dt.timedelta(days=2), now) == "Miércoles"
        assert starts_in(120) == "empieza en 2 h"
        assert starts_in(25) == "empieza en 25 min"
    with app.test_request_context("/"):
        assert relative_day(now + dt.timedelta(days=1), now) == "Tomorrow"
        assert starts_in(120) == "starts in 2 h"


def test_results_in_spanish_count_meetings_with_plurals(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(types=["O"])
    html = client.get("/meetings?near=10001&lang=es").get_data(as_text=True)
    assert re.search(r"1 reunión a menos de \d+ mi de", html)
    assert re.search(r'<span class="day">[^<]+</span> a las <span class="time">\d', html)
    assert "Presencial" in html and "Hora del día" in html and "Buscar reuniones" in html
    assert "meeting within" not in html and "In person" not in html
    make_meeting(types=["O"])
    html = client.get("/meetings?near=10001&lang=es").get_data(as_text=True)
    assert re.search(r"2 reuniones a menos de \d+ mi de", html)
    english = client.get("/meetings?near=10001&lang=en").get_data(as_text=True)
    assert re.search(r"2 meetings within \d+ mi of", english)


def test_meeting_page_and_messages_in_spanish(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(slug="grupo", types=["O"])
    html = client.get("/meetings/grupo?lang=es").get_data(as_text=True)
    for words in ("Cuándo", "Dónde", "Cómo llegar en Google Maps", "Puede asistir cualquier"):
        assert words in html
    assert "Directions in Google Maps" not in html
    bad_page = client.get("/meetings?near=10001&page=x&lang=es").get_data(as_text=True)
    assert "El número de página debe ser un número entero" in bad_page
    home = client.get("/?lang=es").get_data(as_text=True)
    assert 'data-error-1="La ubicación está desactivada' in home  # for static/app.js
    assert "Usar mi ubicación" in home


def test_the_count_of_filters_on_agrees_in_number(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(types=["O"])
    one = client.get("/meetings?near=10001&lang=es&type=O").get_data(as_text=True)
    assert '<span class="count">(1 activo)</span>' in one
    two = client.get("/meetings?near=10001&lang=es&type=O&time=morning").get_data(as_text=True)
    assert '<span class="count">(2 activos)</span>' in two
    english = client.get("/meetings?near=10001&lang=en&type=O").get_data(as_text=True)
    assert '<span class="count">(1 on)</span>' in english


def test_fellowships_go_by_their_names_in_spanish(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    meeting = make_meeting(types=["O"])  # an AA meeting
    html = client.get("/meetings?near=10001&lang=es").get_data(as_text=True)
    assert "Alcohólicos Anónimos" in html and "Narcóticos Anónimos" in html  # the filters
    assert "Otro apoyo entre pares" in html and "Alcoholics Anonymous" not in html
    page = client.get(f"/meetings/{meeting.slug}?lang=es").get_data(as_text=True)
    assert '<p class="fellowship">Alcohólicos Anónimos</p>' in page
    english = client.get(f"/meetings/{meeting.slug}?lang=en").get_data(as_text=True)
    assert '<p class="fellowship">Alcoholics Anonymous</p>' in english
