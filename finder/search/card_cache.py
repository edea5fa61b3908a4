"""Result cards rendered once per meeting and kept (finder.fragments); per request only the
time, the distance and the visitor's own star are put in.

The card macro in templates/_macros.html stays the single source of the card's HTML: it is
rendered with markers in place of the per-request values ("Tomorrow", "7:00 pm", "2.3 mi"
and the star form), and the markers are replaced per request by the escaped values. What
changes the card's shape (a status line or not, in progress or not, a distance or not,
zones shown, miles, the language) is part of the key, so each shape is rendered once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast
from urllib.parse import quote

from flask import current_app, g, get_template_attribute
from markupsafe import Markup, escape

from finder.db import get_session
from finder.fragments import fragment_cache
from finder.i18n import current_language
from finder.search.present import Card, When
from finder.web import format_distance

MARK = "\x02finder-{}\x03"
DAY, START, END, ZONE, STATUS, DISTANCE, STAR = (
    MARK.format(name) for name in ("day", "start", "end", "zone", "status", "distance", "star")
)


def _shape(card: Card, show_tz: bool, miles: bool) -> tuple[Any, ...]:
    when = card.when
    return (
        "card",
        current_language(),
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


def _filled(html: str, card: Card, star: str, distance: str) -> Markup:
    when = card.when
    if when is not None:
        for mark, value in (
            (DAY, when.day_label),
            (START, when.start),
            (END, when.end),
            (ZONE, when.tz_abbr),
            (STATUS, when.status),
        ):
            html = html.replace(mark, str(escape(value)))
    # The template's own escaped output, with escaped values and the star macro's HTML.
    return Markup(html.replace(DISTANCE, distance).replace(STAR, star))  # noqa: S704


SLUG_MARK, NAME_MARK = "finderslugmark0x7f", "findernamemark0x7f"  # unchanged by url_for and escape


def star_html(slug: str, name: str) -> str:
    """The star macro's HTML for this visitor. A star not pressed differs from meeting to
    meeting only in slug and name: it is rendered once a request and filled in (when the
    slug reads the same in a URL and in HTML, as slugs do)."""
    star = get_template_attribute("accounts/_star.html", "star")
    is_favorite = cast(Callable[[str], bool], current_app.jinja_env.globals["is_favorite"])
    if quote(slug, safe="") != slug or str(escape(slug)) != slug or is_favorite(slug):
        return str(star(slug, name))
    if "finder.star" not in g:
        g.setdefault("finder.star", str(star(SLUG_MARK, NAME_MARK)))
    return str(g.get("finder.star")).replace(SLUG_MARK, slug).replace(NAME_MARK, str(escape(name)))


def cached_card(card: Card, show_tz: bool = False, miles: bool = True) -> Markup:
    """meeting_card(card, show_tz, miles) as the macro renders it, from the kept rendering
    of its shape when there is one."""
    if "finder.fragments" not in g:  # once a request: it reads the data version
        g.setdefault("finder.fragments", fragment_cache(get_session()))
    cache = g.get("finder.fragments")
    key = _shape(card, show_tz, miles)
    pieces = cache.pieces(card.meeting.id) if cache is not None else {}
    html = pieces.get(key)
    if html is None:
        html = pieces[key] = _render(_marked(card), show_tz, miles)
    own_star = star_html(card.meeting.slug, card.meeting.name)
    distance = ""
    if card.distance_km is not None:
        distance = str(escape(format_distance(card.distance_km, miles)))
    return _filled(html, card, own_star, distance)
