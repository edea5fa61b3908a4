"""The search views: parse the URL, call the query, render."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

import finder.search as search_pkg
from finder import kept_answers
from finder.accounts.timezones import zone_label as zone_name
from finder.db import get_session
from finder.extensions import limiter
from finder.feeds.duplicates import other_listings
from finder.feeds.slugs import moved_to
from finder.geo import country_for_zone, timezone_at, uses_miles
from finder.geocoding import Place, PlaceNotFound, locate
from finder.i18n import current_language, lazy_gettext
from finder.i18n import gettext as _
from finder.models import Meeting
from finder.nearby import Page, search_page
from finder.schedule import (
    current_or_next,
    end_of_local_day,
    ends_long_past_midnight,
    local_weekday,
    sunday_weekday,
    zone,
)
from finder.search import bp
from finder.search.card_cache import cards_html
from finder.search.filters_panel import filter_words, kept_filters_panel
from finder.search.gone import gone_meeting, what_was_there
from finder.search.links import page_links, radius_km
from finder.search.online import online_page, relative_day
from finder.search.params import (
    CONTROL_CHARS,
    PER_PAGE,
    RADIUS_CHOICES,
    SearchQuery,
    coordinate_text,
    parse_query,
    too_precise,
)
from finder.search.present import (
    address_lines,
    area_label,
    breakable,
    card_address_lines,
    cards,
    demo_footnote,
    describe_when,
    dial_in,
    dials_codes,
    directions,
    explained_types,
    has_words,
    is_demo,
    on_viewers_clock,
    other_formats,
    phone_number,
    safe_web_url,
    tel_link,
    transit_words,
    viewer_cards,
    zone_label,
    zone_words,
)
from finder.search.queries import nearest_match, other_meetings_here, published_meeting
from finder.search.viewer import viewer_zone
from finder.web import demo_data_present
from finder.wrapped_links import joins_nothing, service_home_page


def unpublished_for_its_organizers(session: Session, slug: str) -> Meeting | None:
    """A pending or unpublished local meeting, shown only to its organizers and admins."""
    from finder.organize.access import current_account
    from finder.organize.moderation import preview

    return preview(session, slug, current_account())


bp.add_app_template_global(address_lines)
bp.add_app_template_global(card_address_lines)
bp.add_app_template_global(area_label)
bp.add_app_template_global(cards_html)
bp.add_app_template_global(kept_filters_panel)
bp.add_app_template_global(filter_words)
bp.add_app_template_test(has_words)
bp.add_app_template_test(is_demo, "demo")
bp.add_app_template_filter(breakable)
bp.add_app_template_filter(safe_web_url, "safe_web_url")
bp.add_app_template_filter(transit_words, "transit_words")
bp.add_app_template_filter(dial_in)
bp.add_app_template_filter(lambda name: zone_words(name, current_language()), "zone_words")
bp.add_app_template_filter(coordinate_text, "coordinate")

DEMO_SITE = lazy_gettext(
    "This site is showing generated demo meetings. They are examples, not real meetings: "
    "do not travel to them."
)
TOMORROW_COUNT = 3
DEMO_MEETING = lazy_gettext(
    "This meeting is a generated example, not a real meeting. Do not travel to it."
)
ENTER_PLACE = lazy_gettext("Enter a ZIP code, a city and state, or an address.")


def render_results(query: SearchQuery, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("errors", list(query.errors))
    if context["errors"]:
        kept_answers.do_not_keep()  # "we couldn't find ...": tried afresh each time
    context.setdefault("miles", True)
    context.setdefault("unit", "mi")
    return render_template("search/results.html", query=query, **context), status


@bp.get("/")
def index() -> ResponseReturnValue:
    query = SearchQuery()
    return render_template(
        "search/index.html",
        query=query,
        demo_notice=DEMO_SITE if demo_data_present() else None,
    )


def place_not_found(exc: PlaceNotFound) -> str:
    """What to try, in the page's language (the geocoder's own words stay English for the API)."""
    if not exc.query:
        return str(ENTER_PLACE)
    return str(
        _(
            "We couldn't find “%(place)s”. Try a 5-digit ZIP code (like 10001), "
            "a city and state (like Austin, TX), or tap “Use my location”.",
            place=exc.query,
        )
    )


def find_center(query: SearchQuery) -> Place:
    """The search center: the typed place (geocoded) or the given coordinates."""
    if query.by_coordinates and query.lat is not None and query.lng is not None:
        country = country_for_zone(timezone_at(query.lat, query.lng))
        # The link may be someone else's (a sponsor's search, sent on): "a shared location".
        # On the phone that located itself the page's script says "your location".
        return Place(query.lat, query.lng, str(_("a shared location")), country=country)
    geocoder = current_app.extensions.get("finder.geocoder")
    return locate(get_session(), query.near or "", geocoder)


@bp.get("/meetings")
@limiter.limit("120 per minute")  # like the API: each new place may cost a geocoder look-up
def results() -> ResponseReturnValue:
    # The same search in the same minute (a ZIP code, a shared link) is not run again.
    minute = int(search_pkg.now_utc().timestamp()) // 60
    return kept_answers.answer("page", get_session(), minute, search_results)


def search_results() -> ResponseReturnValue:
    query = parse_query(request.args)
    if query.errors:
        return render_results(query, status=400)
    if too_precise(request.args):  # an exact position must not stay in history or links
        return redirect(url_for("search.results", **query.url_args()))
    if query.anywhere_online:
        return online_results(query)
    if not query.has_location:
        if query.near is None:  # no search yet: just the form
            return render_results(query)
        return render_results(query, errors=[str(ENTER_PLACE)], place_refused=True)
    try:
        place = find_center(query)
    except PlaceNotFound as exc:
        return render_results(query, errors=[place_not_found(exc)], place_refused=True)
    if place.choices:  # "Springfield": ask which one rather than guess
        return render_results(query, choices=place_choices(query, place.choices))
    return nearby_results(query, place)


def place_choices(query: SearchQuery, labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(label, link) for each place a bare city name may mean, the search otherwise kept."""
    return [
        (label, url_for("search.results", **query.url_args(near=label, page=1))) for label in labels
    ]


def tomorrows_first(
    query: SearchQuery, place: Place, today: int, now: dt.datetime, miles: bool
) -> Page | None:
    """Late at night, with nothing left today: tomorrow's first few meetings, same filters."""
    tomorrow = replace(query, days=("tomorrow",))
    page = search_page(
        get_session(),
        place.latitude,
        place.longitude,
        radius_km(query.radius, miles),
        tomorrow.filters(today),
        now,
        limit=TOMORROW_COUNT,
    )
    return page if page.total else None


def nearby_results(query: SearchQuery, place: Place) -> ResponseReturnValue:
    now = search_pkg.now_utc()
    miles = uses_miles(place.country)
    today = local_weekday(now, place.timezone)
    filters = query.filters(today, end_of_local_day(now, place.timezone))
    session = get_session()
    page = search_page(
        session,
        place.latitude,
        place.longitude,
        radius_km(query.radius, miles),
        filters,
        now,
        sort=query.sort,
        offset=query.offset,
        limit=query.limit,
    )
    nearest = tomorrow = None
    if page.total == 0 and query.offset == 0:
        farthest = radius_km(RADIUS_CHOICES[-1], miles)
        nearest = nearest_match(session, place.latitude, place.longitude, filters, now, farthest)
        if query.days == ("today",):
            tomorrow = tomorrows_first(query, place, today, now, miles)
    zones = tomorrow.timezones if tomorrow else page.timezones
    show_tz = len(zones) > 1 or bool(zones - {place.timezone})
    return render_page(
        query,
        page,
        now,
        show_tz,
        today=today,
        place=place,
        miles=miles,
        unit="mi" if miles else "km",
        nearest=nearest,
        tomorrow=cards(tomorrow.results, now) if tomorrow else None,
        printed_at=now.astimezone(zone(place.timezone)),  # the zone of its "Today"
    )


def online_results(query: SearchQuery) -> ResponseReturnValue:
    now = search_pkg.now_utc()
    # No place: "today" and "tomorrow" are read on each meeting's own clock.
    relative = relative_day(query.days)
    filters = query.filters(sunday_weekday(now.date()))
    if relative:
        filters = replace(filters, days=frozenset())
    viewer = viewer_zone()
    page = online_page(
        get_session(),
        filters,
        now,
        relative_day=relative,
        viewer_tz=viewer,
        offset=query.offset,
        limit=query.limit,
    )
    show_tz = viewer is not None or len(page.timezones) > 1
    # "Today" is the viewer's, else each meeting's own: one zone, or UTC with its name said.
    shown_zone = viewer or (min(page.timezones) if len(page.timezones) == 1 else "UTC")
    return render_page(
        query,
        page,
        now,
        show_tz,
        place=None,
        unit=None,
        viewer_tz=viewer,
        viewer_zone_label=zone_name(viewer) if viewer else None,
        printed_at=now.astimezone(zone(shown_zone)),
    )


def render_page(
    query: SearchQuery,
    page: Page,
    now: dt.datetime,
    show_tz: bool,
    today: int | None = None,
    **context: Any,
) -> ResponseReturnValue:
    pages = max(1, math.ceil(page.total / PER_PAGE))
    if query.page > pages:
        last = url_for("search.results", **query.url_args(page=pages))
        return render_results(
            query,
            status=404,
            past_end=last,
            pages=pages,
            errors=[
                _(
                    "There is no page %(page)s: these results end on page %(pages)s.",
                    page=query.page,
                    pages=pages,
                )
            ],
            **context,
        )
    with_distance = context.get("place") is not None
    viewer = context.get("viewer_tz")
    if viewer:
        shown = viewer_cards(page.results, now, viewer)
    else:
        shown = cards(page.results, now, with_distance)
    nearest = context.get("nearest")
    return render_results(
        query,
        page=page,
        cards=shown,
        show_tz=show_tz,
        pages=pages,
        links=page_links(query, pages, today, nearest, context.get("miles", True)),
        demo_notice=demo_footnote(card.meeting for card in shown),
        **context,
    )


@bp.get("/meetings/<path:slug>")
def meeting(slug: str) -> ResponseReturnValue:
    if CONTROL_CHARS.search(slug):
        abort(404)
    session = get_session()
    found = published_meeting(session, slug) or unpublished_for_its_organizers(session, slug)
    if found is None:
        return not_listed(slug)
    now = search_pkg.now_utc()
    occurrence = None
    if found.day is not None and found.time is not None:
        occurrence = current_or_next(
            found.day, found.time, found.end_time, found.location.timezone, now
        )
    attendance = found.attendance
    # Joining online from elsewhere: the next time on the visitor's own clock too.
    online = attendance in ("online", "hybrid")
    return render_template(
        "search/meeting.html",
        meeting=found,
        when=describe_when(occurrence, now),
        your_time=on_viewers_clock(occurrence, now, viewer_zone()) if online else None,
        zone=zone_label(
            found.location.timezone, occurrence.start if occurrence else None, current_language()
        ),
        attendance=attendance,
        address=address_lines(found.location),
        directions=directions(found, attendance),
        join_url=safe_web_url(found.conference_url),
        join_link_dead=joins_nothing(found.conference_url),
        join_home=service_home_page(found.conference_url),
        slip_end=found.time is not None
        and found.end_time is not None
        and ends_long_past_midnight(found.time, found.end_time),
        tel=tel_link(found.conference_phone),
        phone=phone_number(found.conference_phone),
        dials_codes=dials_codes(found.conference_phone),
        demo_notice=DEMO_MEETING if is_demo(found) else None,
        types=explained_types(found.types, current_language()),
        formats=other_formats(found.types),
        # An area's point is often a shared placeholder: its "other meetings" are unrelated.
        others=other_meetings_here(session, found) if found.location.kind == "room" else [],
        listings=other_listings(session, found),
    )


def not_listed(slug: str) -> ResponseReturnValue:
    """301 to a meeting's new slug; 410 with what it was for a meeting that left its feed."""
    session = get_session()
    moved = moved_to(session, slug)
    if moved is not None and moved != slug:
        return redirect(url_for("search.meeting", slug=moved), 301)
    gone = gone_meeting(session, slug)
    if gone is None:
        abort(404)
    return render_template("search/gone.html", gone=what_was_there(session, gone)), 410
