"""The search views: parse the URL, call the query, render."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

import finder.search as search_pkg
from finder.catalog import FELLOWSHIPS, type_name
from finder.db import get_session
from finder.geo import KM_PER_MILE, country_for_zone, timezone_at, uses_miles
from finder.geocoding import Place, PlaceNotFound, locate
from finder.nearby import ATTENDANCE_LABELS, ATTENDANCE_OPTIONS, Page, search_page
from finder.schedule import DAY_NAMES, TIMES_OF_DAY, current_or_next, sunday_weekday, zone
from finder.search import bp
from finder.search.online import online_page
from finder.search.params import (
    PER_PAGE,
    RADIUS_CHOICES,
    USEFUL_TYPES,
    SearchQuery,
    parse_query,
)
from finder.search.present import (
    address_lines,
    cards,
    describe_when,
    directions,
    explained_types,
    phone_number,
    safe_web_url,
    tel_link,
    zone_label,
)
from finder.search.queries import other_meetings_here, published_meeting

bp.add_app_template_global(address_lines)


def form_options(query: SearchQuery) -> dict[str, Any]:
    """Choices for the search and filter form; selected types outside the short list stay."""
    type_codes = list(USEFUL_TYPES) + [t for t in query.types if t not in USEFUL_TYPES]
    return {
        "radii": RADIUS_CHOICES,
        "days": [("any", "Any day"), ("today", "Today"), ("tomorrow", "Tomorrow")]
        + [(str(i), name) for i, name in enumerate(DAY_NAMES)],
        "times": [(key, label) for key, label, *_ in TIMES_OF_DAY],
        "types": [(code, type_name(code)) for code in type_codes],
        "attendance": [(key, ATTENDANCE_LABELS[key]) for key in ATTENDANCE_OPTIONS],
        "fellowships": list(FELLOWSHIPS),
    }


def render_results(query: SearchQuery, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("errors", list(query.errors))
    context.setdefault("miles", True)
    context.setdefault("unit", "mi")
    html = render_template(
        "search/results.html", query=query, options=form_options(query), **context
    )
    return html, status


@bp.get("/")
def index() -> ResponseReturnValue:
    query = SearchQuery()
    return render_template("search/index.html", query=query, options=form_options(query))


def find_center(query: SearchQuery) -> Place:
    """The search center: the typed place (geocoded) or the given coordinates."""
    if query.by_coordinates and query.lat is not None and query.lng is not None:
        country = country_for_zone(timezone_at(query.lat, query.lng))
        return Place(query.lat, query.lng, "your location", country=country)
    geocoder = current_app.extensions.get("finder.geocoder")
    return locate(get_session(), query.near or "", geocoder)


@bp.get("/meetings")
def results() -> ResponseReturnValue:
    query = parse_query(request.args)
    if query.errors:
        return render_results(query, status=400)
    if query.anywhere_online:
        return online_results(query)
    if not query.has_location:
        if query.near is None:  # no search yet: just the form
            return render_results(query)
        return render_results(query, errors=["Enter a ZIP code, a city and state, or an address."])
    try:
        place = find_center(query)
    except PlaceNotFound as exc:
        return render_results(query, errors=[str(exc)])
    return nearby_results(query, place)


def nearby_results(query: SearchQuery, place: Place) -> ResponseReturnValue:
    now = search_pkg.now_utc()
    miles = uses_miles(place.country)
    radius_km = query.radius * KM_PER_MILE if miles else float(query.radius)
    today = sunday_weekday(now.astimezone(zone(place.timezone)).date())
    page = search_page(
        get_session(),
        place.latitude,
        place.longitude,
        radius_km,
        query.filters(today),
        now,
        sort=query.sort,
        offset=(query.page - 1) * PER_PAGE,
        limit=PER_PAGE,
    )
    show_tz = len(page.timezones) > 1 or bool(page.timezones - {place.timezone})
    return render_page(
        query, page, now, show_tz, place=place, miles=miles, unit="mi" if miles else "km"
    )


def online_results(query: SearchQuery) -> ResponseReturnValue:
    now = search_pkg.now_utc()
    today = sunday_weekday(now.date())  # no place: "today" is today in UTC
    page = online_page(
        get_session(),
        query.filters(today),
        now,
        offset=(query.page - 1) * PER_PAGE,
        limit=PER_PAGE,
    )
    return render_page(query, page, now, len(page.timezones) > 1, place=None, unit=None)


def render_page(
    query: SearchQuery, page: Page, now: dt.datetime, show_tz: bool, **context: Any
) -> ResponseReturnValue:
    pages = max(1, math.ceil(page.total / PER_PAGE))
    if query.page > pages:
        last = url_for("search.results", **query.url_args(page=pages))
        return render_results(
            query,
            status=404,
            past_end=last,
            pages=pages,
            errors=[f"There is no page {query.page}: these results end on page {pages}."],
            **context,
        )
    with_distance = context.get("place") is not None
    return render_results(
        query,
        page=page,
        cards=cards(page.results, now, with_distance),
        show_tz=show_tz,
        pages=pages,
        links=page_links(query, pages),
        wider_radius=next((r for r in RADIUS_CHOICES if r > query.radius), None),
        **context,
    )


def page_links(query: SearchQuery, pages: int) -> dict[str, str | None]:
    """Previous/next pages, other sort, and the empty-state suggestions, all keeping filters."""

    def link(**changes: Any) -> str:
        return url_for("search.results", **query.url_args(**changes))

    wider = [r for r in RADIUS_CHOICES if r > query.radius]
    return {
        "prev": link(page=query.page - 1) if query.page > 1 else None,
        "next": link(page=query.page + 1) if query.page < pages else None,
        "soonest": link(sort="soonest", page=1),
        "distance": link(sort="distance", page=1),
        "wider": link(radius=wider[0], page=1) if wider and query.has_location else None,
        "online": link(attendance=("online",), page=1)
        if query.attendance != ("online",) and query.has_location
        else None,
        "anywhere": url_for("search.results", attendance="online"),
        "unfiltered": link(days=(), times=(), types=(), attendance=(), fellowships=(), page=1)
        if query.filter_count
        else None,
    }


@bp.get("/meetings/<slug>")
def meeting(slug: str) -> ResponseReturnValue:
    session = get_session()
    found = published_meeting(session, slug)
    if found is None:
        abort(404)
    now = search_pkg.now_utc()
    occurrence = None
    if found.day is not None and found.time is not None:
        occurrence = current_or_next(
            found.day, found.time, found.end_time, found.location.timezone, now
        )
    attendance = found.attendance
    return render_template(
        "search/meeting.html",
        meeting=found,
        when=describe_when(occurrence, now),
        zone=zone_label(found.location.timezone, occurrence.start if occurrence else None),
        attendance=attendance,
        address=address_lines(found.location),
        directions=directions(found, attendance),
        join_url=safe_web_url(found.conference_url),
        tel=tel_link(found.conference_phone),
        phone=phone_number(found.conference_phone),
        types=explained_types(found.types),
        # An approximate point is often a shared placeholder: its "other meetings" are unrelated.
        others=[] if found.location.approximate else other_meetings_here(session, found),
    )
