"""Languages: Flask-Babel, the person's chosen language (cookie or ?lang=), else Accept-Language.

Catalogs live in translations/<code>/LC_MESSAGES/messages.po; `make translations-compile`
builds the .mo files Flask-Babel reads (`make run` and `make test` do it first). Adding a
language: README.md, "Languages".
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from babel import dates, lists, numbers, support
from flask import Flask, Response, has_request_context, request
from flask_babel import Babel, LazyString, get_locale, get_translations

from finder.catalog import FELLOWSHIP_NAMES, FELLOWSHIP_SHORT, type_name
from finder.context import app_globals, page_args
from finder.schedule import DAY_NAMES, format_time, sunday_weekday

LANGUAGES: tuple[str, ...] = ("en", "es")
# Each language's name in itself, for the switch on every page.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"

babel = Babel()


def select_locale() -> str:
    """The language of this request: ?lang=, then the lang cookie, then Accept-Language;
    the default outside a request (a command such as create-admin)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    for chosen in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def remember_language(response: Response) -> Response:
    """?lang=es is a choice: keep it in a cookie so every later page follows it.

    Pages (not static files or the API) differ by the lang cookie and Accept-Language,
    so caches are told so.
    """
    if request.endpoint != "static" and not request.path.startswith("/api/"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=LANG_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure,
            httponly=True,
        )
    return response


def catalog() -> support.NullTranslations:
    """This request's catalog, looked up once a request.

    Flask-Babel finds the locale and then its catalog again on every call (several context
    look-ups and a Locale written out as text each time), and a results page makes hundreds
    of calls. The locale is chosen once a request either way (Flask-Babel keeps it on `g`),
    so keeping the catalog beside it changes no word.
    """
    kept = app_globals()
    if kept is None:  # no application context: Flask-Babel's untranslated catalog
        return cast(support.NullTranslations, get_translations())
    try:
        return cast(support.NullTranslations, kept.finder_catalog)
    except AttributeError:
        found: support.NullTranslations = get_translations()
        kept.finder_catalog = found
        return found


def gettext(text: str, /, **values: Any) -> str:
    """flask_babel.gettext, with the request's catalog found once."""
    translated: str = catalog().ugettext(text)
    return translated % values if values else translated


def ngettext(singular: str, plural: str, num: int, /, **values: Any) -> str:
    """flask_babel.ngettext (num is also a value), with the request's catalog found once."""
    values.setdefault("num", num)
    translated: str = catalog().ungettext(singular, plural, num)
    return translated % values


def lazy_gettext(text: str, /, **values: Any) -> LazyString:
    """Words translated when they are shown, in the language of the request showing them."""
    return LazyString(gettext, text, **values)


def current_language() -> str:
    """The language code of this request, for <html lang>."""
    kept = app_globals()
    if kept is None:  # no application context
        return DEFAULT_LANGUAGE
    try:
        return kept.finder_language  # type: ignore[no-any-return]
    except AttributeError:
        locale = get_locale()
        found = kept.finder_language = locale.language if locale is not None else DEFAULT_LANGUAGE
        return found


def language_links() -> list[tuple[str, str, str]]:
    """(code, name, URL) for the switch: this page again with ?lang= set."""
    args = [(k, v) for k, v in page_args() if k != "lang"]
    links = []
    for code in LANGUAGES:
        query = urlencode([*args, ("lang", code)])
        links.append((code, LANGUAGE_NAMES[code], f"{request.path}?{query}"))
    return links


def clock(value: dt.time | dt.datetime) -> str:
    """A time of day as people write it in this language: 7:00 pm, 19:00."""
    language = current_language()
    if language == "en":
        return format_time(value)
    return _babel_clock(language, value.hour, value.minute)


@lru_cache(maxsize=4096)
def _babel_clock(language: str, hour: int, minute: int) -> str:
    """Babel's short time (it takes tens of microseconds): a day has 1,440 of them."""
    return str(dates.format_time(dt.time(hour, minute), "short", locale=language))


def day_name(day: int | None) -> str:
    """A weekday (0 = Sunday) in this language, as a label ("Lunes" on a card); inside a
    sentence, in_sentence(day_name(day)) ("Próxima: lunes, 30 de noviembre")."""
    language = current_language()
    if day is None:
        return gettext("By appointment")
    if language == "en":
        return DAY_NAMES[day]
    return _babel_day_name(language, day)


@lru_cache(maxsize=64)
def _babel_day_name(language: str, day: int) -> str:
    # Babel counts from Monday = 0.
    name = str(dates.get_day_names("wide", locale=language)[(day - 1) % 7])
    return name.capitalize()


def in_sentence(label: str) -> str:
    """A label ("Hoy", "Lunes", "Lunes por la noche") inside a sentence: lower-cased first
    letter where the language writes it so (Spanish), unchanged in English."""
    if current_language() == "en" or not label:
        return label
    return label[0].lower() + label[1:]


def at_start(phrase: str) -> str:
    """A phrase that starts a line, first letter upper-cased: "los lunes a las 12:00" (made
    to sit inside a sentence) as "Los lunes a las 12:00"; English is unchanged."""
    return phrase[:1].upper() + phrase[1:]


def and_list(items: list[str]) -> str:
    """ "Wednesday and Friday", "miércoles y viernes": a list as the language joins one."""
    return lists.format_list(items, locale=current_language())


def long_date(value: dt.date) -> str:
    """'March 3, 2025', '3 de marzo de 2025'."""
    language = current_language()
    if language == "en":
        return f"{value:%B} {value.day}, {value.year}"
    return dates.format_date(value, "long", locale=language)


def number(value: float) -> str:
    """1,234 in English, 1234 or 12.345 in Spanish: grouping as the language does it."""
    return _babel_number(current_language(), value)


@lru_cache(maxsize=4096, typed=True)  # 1 and 1.0 apart, as Babel may write them
def _babel_number(language: str, value: float) -> str:
    return str(numbers.format_decimal(value, locale=language))


def localized_type_name(code: str) -> str:
    """A meeting type's name from types.json in this language (English when it has none)."""
    return type_name(code, current_language())


def fellowship_name(code: str) -> str:
    """A fellowship's name in this language ("Alcohólicos Anónimos"); a code not in the
    catalog is shown as it is."""
    return _named(FELLOWSHIP_NAMES, code)


def fellowship_short(code: str) -> str:
    """A fellowship's short name on cards ("AA", "Otro")."""
    return _named(FELLOWSHIP_SHORT, code)


def _named(names: dict[str, str], code: str) -> str:
    name = names.get(code)
    return gettext(name) if name else code


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Build each messages.mo that is missing or older than its .po; returns those built.

    `make` does this too; doing it here as well means a fresh clone, plain pytest and a
    deploy that forgot `make translations-compile` still speak every language.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    built = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        try:
            with partial.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            os.replace(partial, mo_path)  # atomic: several workers may start at once
        except OSError:
            logging.getLogger(__name__).warning("could not write %s", mo_path)
            continue
        built.append(mo_path)
    return built


def init_app(app: Flask) -> None:
    compile_catalogs(Path(app.config.get("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS)))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    # The templates' _() and ngettext() through the catalog found once a request.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: catalog().ugettext(text),
        ngettext=lambda singular, plural, num: catalog().ungettext(singular, plural, num),
        newstyle=True,
        pgettext=lambda context, text: catalog().upgettext(context, text),
        npgettext=lambda context, singular, plural, num: catalog().unpgettext(
            context, singular, plural, num
        ),
    )
    app.after_request(remember_language)
    app.jinja_env.globals.update(current_language=current_language, language_links=language_links)
    app.jinja_env.filters.update(
        clock=clock,
        day_name=day_name,
        in_sentence=in_sentence,
        at_start=at_start,
        long_date=long_date,
        number=number,
        type_name=localized_type_name,
        fellowship_name=fellowship_name,
        fellowship_short=fellowship_short,
        weekday=lambda moment: sunday_weekday(moment.date()),
    )
