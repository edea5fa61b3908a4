"""Languages: Flask-Babel, the person's chosen language (cookie or ?lang=), else Accept-Language."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_babel import Babel, get_locale

# Spanish joins once its catalog is complete (issue 11).
LANGUAGES: tuple[str, ...] = ("en",)
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "lang"

babel = Babel()


def select_locale() -> str:
    """The language of this request: ?lang=, then the lang cookie, then Accept-Language."""
    for chosen in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    translations = Path(app.root_path).parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translations))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_language"] = current_language


def current_language() -> str:
    """The language code of this request, for <html lang>."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE
