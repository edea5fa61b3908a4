"""Result cards rendered once per meeting and kept (finder.fragments); per request only the
time, the distance and the visitor's own star are put in.

The card macro in templates/_macros.html stays the single source of the card's HTML: it is
rendered with markers in place of the per-request values ("Tomorrow", "7:00 pm", "2.3 mi"
and the star form), kept as a str.format template with a field at each marker, and filled
per request with the escaped values in one call. What
changes the card's shape (a status line or not, in progress or not, a distance or not,
zones shown, miles, the language) is part of the key, so each shape is rendered once.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from flask import current_app, g, get_template_attribute, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from finder.accounts.views_favorites import current_page, favorite_slugs
from finder.context import app_globals
from finder.db import get_session
from finder.fragments import fragment_cache
from finder.i18n import current_language
from finder.search.present import Card, When
from finder.web import format_distance

MARK = "\x02finder-{}\x03"
FIELDS = ("day", "start", "end", "zone", "status", "distance", "star")
DAY, START, END, ZONE, STATUS, DISTANCE, STAR = (MARK.format(name) for name in FIELDS)


def _shape(card: Card, show_tz: bool, miles: bool, language: str) -> tuple[Any, ...]:
    when = card.when
    return (
        "card",
        language,
        request.script_root,  # the card's links are URLs under the application's root
        show_tz,
        miles,
        card.attendance,
        card.demo,
        card.distance_km is None,
        None if when is None else (bool(when.status), when.in_progress),
    )


def _marked(card: Card) -> Card:
    """The card with markers for what differs per request."""
    when = card.when
    if when is not None:
        when = When(DAY, START, END, ZONE, STATUS if when.status else "", when.in_progress)
    distance: Any = None if card.distance_km is None else DISTANCE
    return replace(card, when=when, distance_km=distance)


def _render(card: Card, show_tz: bool, miles: bool) -> str:
    """The macro's HTML with the star marker as its caller (the star's slot)."""
    macro = get_template_attribute("_macros.html", "meeting_card")
    star = Markup(STAR)  # noqa: S704 (a constant marker)
    return str(macro(card, show_tz=show_tz, miles=miles, caller=lambda: star))


def _as_format(html: str, fields: dict[str, str]) -> str:
    """Rendered HTML as a str.format template: its own braces doubled, each marker a field."""
    text = html.replace("{", "{{").replace("}", "}}")
    for mark, field in fields.items():
        text = text.replace(mark, "{" + field + "}")
    return text


CARD_FIELDS = {MARK.format(name): name for name in FIELDS}


def _filled(template: str, card: Card, star: str, distance: str) -> Markup:
    """The kept card with this request's values (escaped) and star (the macro's HTML)."""
    when = card.when
    if when is None:
        return Markup(template.format(distance=distance, star=star))  # noqa: S704
    return Markup(  # noqa: S704 (the template's own escaped output, escaped values)
        template.format(
            day=escape(when.day_label),
            start=escape(when.start),
            end=escape(when.end),
            zone=escape(when.tz_abbr),
            status=escape(when.status),
            distance=distance,
            star=star,
        )
    )


# Markers unchanged by url_for and escape.
SLUG_MARK, NAME_MARK = "finderslugmark0x7f", "findernamemark0x7f"
TOKEN_MARK, BACK_MARK = "findertokenmark0x7f", "finderbackmark0x7f"
STAR_FIELDS = {SLUG_MARK: "slug", NAME_MARK: "name", TOKEN_MARK: "token", BACK_MARK: "back"}
# A slug made only of these reads the same in a URL (quote's always-safe characters) and
# in HTML, so it can be put in place of the marker as it is.
PLAIN_SLUG = re.compile(r"[A-Za-z0-9_.~-]+")


def _star_template(language: str) -> str:
    """The star not pressed as a str.format template, kept per application, language and
    application root (its form's action is a URL): what differs from card to card (slug,
    name) and from visitor to visitor (CSRF token, page) are its fields."""
    kept: dict[tuple[str, str], str] = current_app.extensions.setdefault("finder.stars", {})
    key = (language, request.script_root)
    template = kept.get(key)
    if template is None:
        macro = get_template_attribute("accounts/_star.html", "star")
        marked = str(macro(SLUG_MARK, NAME_MARK, token=TOKEN_MARK, back=BACK_MARK))
        template = kept[key] = _as_format(marked, STAR_FIELDS)
    return template


def star_html(slug: str, name: str) -> str:
    """The star macro's HTML for this visitor. A star not pressed differs from meeting to
    meeting only in slug and name, and from visitor to visitor in the CSRF token and the
    page to come back to: it is rendered once per language and filled in (when the slug
    reads the same in a URL and in HTML, as slugs do)."""
    store: Any = app_globals()  # cards are made in a request
    kept: tuple[dict[str, str], set[str]] | None = store.get("finder.star")
    if kept is None:
        values = {
            "template": _star_template(current_language()),
            "token": str(escape(generate_csrf())),
            "back": str(escape(current_page())),
        }
        kept = (values, favorite_slugs())
        store.setdefault("finder.star", kept)
    values, favorites = kept
    if slug in favorites or not PLAIN_SLUG.fullmatch(slug):
        return str(get_template_attribute("accounts/_star.html", "star")(slug, name))
    return values["template"].format(
        slug=slug, name=escape(name), token=values["token"], back=values["back"]
    )


def cached_card(card: Card, show_tz: bool = False, miles: bool = True) -> Markup:
    """meeting_card(card, show_tz, miles) as the macro renders it, from the kept rendering
    of its shape when there is one."""
    return cards_html([card], show_tz, miles)


def cards_html(cards: list[Card], show_tz: bool = False, miles: bool = True) -> Markup:
    """Each card as meeting_card(card, show_tz, miles) renders it, one after the other."""
    if "finder.fragments" not in g:  # once a request: it reads the data version
        g.setdefault("finder.fragments", fragment_cache(get_session()))
    cache = g.get("finder.fragments")
    language = current_language()
    html = []
    for card in cards:
        if card.own_start is not None:
            # On the viewer's clock, with the meeting's own time in small: that note is
            # this visitor's alone (their zone), so such a card is made afresh, not kept.
            template = _as_format(_render(card, show_tz, miles), CARD_FIELDS)
        else:
            key = _shape(card, show_tz, miles, language)
            pieces = cache.pieces(card.meeting.id) if cache is not None else {}
            kept: str | None = pieces.get(key)
            if kept is None:
                kept = pieces[key] = _as_format(_render(_marked(card), show_tz, miles), CARD_FIELDS)
            template = kept
        own_star = star_html(card.meeting.slug, card.meeting.name)
        distance = ""
        if card.distance_km is not None:
            rough = card.meeting.location.rough_point
            distance = str(escape(format_distance(card.distance_km, miles, rough)))
        html.append(_filled(template, card, own_star, distance))
    return Markup("".join(html))  # noqa: S704 (each piece is a filled card, escaped as above)
