"""The filters panel, rendered once per language and filter state and kept.

Every results page carries the whole filter form folded under "Change search": about a
hundred checkboxes and options, each label in the page's language. It depends only on
the language, the distance unit, whether it opens, and the filters chosen (all from a
fixed vocabulary, never a place or a name), so each such state is rendered once per
process and the kept HTML is reused. The macro in templates/_macros.html stays its only
source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, get_template_attribute
from markupsafe import Markup

from finder.catalog import FELLOWSHIPS, type_name
from finder.i18n import current_language, day_name, fellowship_name, lazy_gettext
from finder.i18n import gettext as _
from finder.nearby import ATTENDANCE_LABELS, ATTENDANCE_OPTIONS
from finder.schedule import DAY_NAMES, TIMES_OF_DAY
from finder.search.params import RADIUS_CHOICES, USEFUL_TYPES, SearchQuery

# The time-of-day filter's words; the hours come from finder/schedule.py's TIMES_OF_DAY.
TIME_WORDS = {
    "morning": lazy_gettext("Morning (5–11 am)"),
    "midday": lazy_gettext("Midday (11 am–2 pm)"),
    "afternoon": lazy_gettext("Afternoon (2–5 pm)"),
    "evening": lazy_gettext("Evening (5–9 pm)"),
    "night": lazy_gettext("Night (9 pm–5 am)"),
}

KEPT_STATES = 2048  # filter states kept per process; past that the oldest half is dropped


def time_choice(key: str, label: str) -> tuple[str, str, str]:
    """ "Morning (5–11 am)" as a checkbox: the name, and the hours under it."""
    name, _sep, hours = label.partition(" (")
    return key, name, hours.rstrip(")")


def form_options(query: SearchQuery) -> dict[str, Any]:
    """Choices for the search and filter form; selected types outside the short list stay."""
    type_codes = list(USEFUL_TYPES) + [t for t in query.types if t not in USEFUL_TYPES]
    return {
        "radii": RADIUS_CHOICES,
        "days": [("any", _("Any day")), ("today", _("Today")), ("tomorrow", _("Tomorrow"))]
        + [(str(i), day_name(i)) for i in range(len(DAY_NAMES))],
        "times": [
            time_choice(key, str(TIME_WORDS.get(key, label))) for key, label, *_rest in TIMES_OF_DAY
        ],
        "types": [(code, type_name(code, current_language())) for code in type_codes],
        "attendance": [(key, ATTENDANCE_LABELS[key]) for key in ATTENDANCE_OPTIONS],
        "fellowships": [(code, fellowship_name(code)) for code, _name in FELLOWSHIPS],
    }


def filter_words(query: SearchQuery) -> str:
    """The chosen filters in words, as the form names them: "Tuesday, Evening, Women"."""
    if not query.filter_count:  # most searches: no choices to name, no options to build
        return ""
    options = form_options(query)
    words: list[str] = []
    for key, chosen in (
        ("days", query.days),
        ("times", query.times),
        ("attendance", query.attendance),
        ("fellowships", query.fellowships),
        ("types", query.types),
    ):
        names = {choice[0]: choice[1] for choice in options[key]}
        if query.anywhere_online:  # "Online meetings" already says it
            names.pop("online", None)
        words += [str(names[value]) for value in chosen if value in names and value != "any"]
    return ", ".join(words)


def _state(query: SearchQuery, unit: str | None, opened: bool) -> tuple[Any, ...]:
    """Everything filters_panel reads from the query (keep it in step with the macro)."""
    return (
        current_language(), unit, opened, query.days, query.times, query.attendance,
        query.radius, query.fellowships, query.types,
    )  # fmt: skip


def kept_filters_panel(query: SearchQuery, unit: str | None, opened: bool = False) -> Markup:
    """filters_panel(query, form_options(query), unit, opened) as the macro renders it."""
    kept: dict[tuple[Any, ...], Markup] = current_app.extensions.setdefault(
        "finder.filters_panels", {}
    )
    key = _state(query, unit, opened)
    html = kept.get(key)
    if html is None:
        macro: Callable[..., str] = get_template_attribute("_macros.html", "filters_panel")
        html = Markup(str(macro(query, form_options(query), unit, opened)))  # noqa: S704
        if len(kept) >= KEPT_STATES:
            for old in list(kept)[: KEPT_STATES // 2]:
                kept.pop(old, None)
        kept[key] = html
    return html
