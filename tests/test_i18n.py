"""Languages: Spanish by choice (?lang=, kept) or by Accept-Language; every string translated."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from finder.i18n import LANGUAGES, TRANSLATIONS, compile_catalogs
from finder.models import Meeting

ROOT = Path(__file__).resolve().parent.parent
SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


def html_lang(client: FlaskClient, path: str, **kwargs: object) -> str:
    html = client.get(path, **kwargs).get_data(as_text=True)  # type: ignore[arg-type]
    match = re.search(r'<html lang="([a-z]+)"', html)
    assert match
    return match.group(1)


def test_spanish_from_the_browser_language(client: FlaskClient) -> None:
    html = client.get("/help", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "¿Necesita ayuda ahora?" in html
    assert "Llamar al <span" in html
    assert html_lang(client, "/help", headers={"Accept-Language": "fr-FR,en;q=0.8"}) == "en"


def test_the_switch_is_remembered_in_a_cookie(client: FlaskClient) -> None:
    r = client.get("/help?lang=es")
    assert "lang=es" in r.headers["Set-Cookie"]
    assert html_lang(client, "/") == "es"  # no ?lang= any more: the cookie carries it
    assert html_lang(client, "/", headers={"Accept-Language": "en"}) == "es"  # a choice wins
    client.get("/?lang=en")
    assert html_lang(client, "/", headers=SPANISH) == "en"


def test_an_unknown_language_is_ignored(client: FlaskClient) -> None:
    r = client.get("/?lang=xx")
    assert "Set-Cookie" not in r.headers or "lang=" not in r.headers["Set-Cookie"]
    assert html_lang(client, "/?lang=xx") == "en"


def test_every_page_has_the_language_switch_keeping_the_search(client: FlaskClient) -> None:
    html = client.get("/meetings?attendance=online&day=today").get_data(as_text=True)
    assert 'href="/meetings?attendance=online&amp;day=today&amp;lang=es" lang="es"' in html
    assert ">Español</a>" in html and ">English</a>" in html
    assert 'lang="en" hreflang="en" aria-current="true"' in html


def test_meeting_page_in_spanish_uses_type_names_times_and_days(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(
        slug="grupo", day=1, time=dt.time(19, 0), end_time=dt.time(20, 30), types=["O", "S"]
    )
    html = client.get("/meetings/grupo?lang=es").get_data(as_text=True)
    assert "<dt>Abierta</dt>" in html and "<dt>Español</dt>" in html  # types.json's Spanish names
    assert '19:00</span> – <span class="nowrap">20:30' in html  # 24-hour clock
    assert "Los lunes" in html  # every week
    assert re.search(r"<time datetime=\"[0-9-]+\">\d{1,2} de [a-z]+ de \d{4}</time>", html)
    english = client.get("/meetings/grupo?lang=en").get_data(as_text=True)
    assert '7:00 pm</span> – <span class="nowrap">8:30 pm' in english and "Open" in english


def test_results_cards_show_spanish_type_names(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(types=["BE"])
    html = client.get("/meetings?near=10001", headers=SPANISH).get_data(as_text=True)
    assert "Principiantes" in html and "Newcomer" not in html


# As the Makefile extracts: forms use `lazy_gettext as _l`; counts use ngettext.
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "ngettext": (1, 2)}


def extracted_messages() -> set[str]:
    method_map = [("finder/**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_string_has_a_translation(language: str) -> None:
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    translated = {  # a plural entry counts only with every form filled in
        (m.id if isinstance(m.id, str) else m.id[0]): m.string
        for m in catalog
        if m.id and m.string and all(m.string) and "fuzzy" not in m.flags
    }
    messages = extracted_messages()
    assert "Need help now?" in messages  # the extraction itself works
    missing = sorted(m for m in messages if not translated.get(m))
    assert not missing, f"no {language} translation (make translations-update): {missing}"
    errors = [(m.id, e) for m, e in catalog.check()]
    assert not errors, errors  # placeholders such as %(number)s kept


def test_catalogs_compile_when_missing_or_stale(tmp_path: Path) -> None:
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_bytes((TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert compile_catalogs(tmp_path) == [po.with_suffix(".mo")]
    assert compile_catalogs(tmp_path) == []  # up to date: nothing to do


def test_pages_vary_by_language_but_static_files_do_not(client: FlaskClient) -> None:
    vary = client.get("/help").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary
    assert "Accept-Language" not in client.get("/static/app.css").headers.get("Vary", "")


def test_spanish_meeting_page_writes_weekly_days_as_every_week(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(slug="grupo", day=1, time=dt.time(19, 0))
    html = client.get("/meetings/grupo?lang=es").get_data(as_text=True)
    # Every week, not one date: "los lunes", as in "Mondays".
    assert 'content="Reunión de Alcohólicos Anónimos: los lunes, 19:00."' in html
    assert '<p class="schedule">Los lunes, <span class="nowrap">19:00</span>' in html
    english = client.get("/meetings/grupo?lang=en").get_data(as_text=True)
    assert "meeting on Mondays at 7:00 pm." in english
