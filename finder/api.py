"""JSON API: nearby meetings and the health check.

`GET /api/v1/meetings` is public, read-only data: any origin may read it
(CORS `*`, no cookies involved), answers may be cached for a minute, and every
bad parameter answers 400 `{"error": "..."}` naming the parameter. Unknown
meeting type codes are accepted (real feeds carry codes outside types.json)
as long as they look like a code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import orjson
from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from finder import health, kept_answers
from finder.accounts.timezones import is_known_zone
from finder.db import get_session
from finder.extensions import limiter
from finder.fragments import fragment_cache
from finder.geo import timezone_at
from finder.geocoding import PlaceNotFound, locate
from finder.models import Location, Meeting
from finder.nearby import Filters, Hit, Result, search_hits, today_cut, today_days
from finder.request_args import (
    BadParameter,
    finite_number,
    one_place,
    raise_first,
    read_filters,
    show,
)
from finder.schedule import end_of_local_day, local_weekday
from finder.search.online import online_hits, relative_day
from finder.standins import meetings_by_id
from finder.text import name_words
from finder.wrapped_links import join_link

bp = Blueprint("api", __name__)

DEFAULT_RADIUS_KM = 16.09  # 10 miles
MAX_RADIUS_KM = 500.0
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 10_000
CACHE_SECONDS = 60


def now_utc() -> dt.datetime:
    """The current time, aware; tests monkeypatch this to freeze it."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Center:
    lat: float
    lng: float
    label: str
    approximate: bool


@dataclass(frozen=True)
class MeetingQuery:
    """The parsed query string of /api/v1/meetings, days as given ("today" still a word)."""

    near: str | None
    lat: float | None
    lng: float | None
    radius_km: float
    days: tuple[str, ...]
    filters: Filters
    limit: int
    offset: int
    tz: str | None = None  # with no centre: the clock "today" and the weekdays are read on

    @property
    def anywhere(self) -> bool:
        """No centre, only online meetings: every one, wherever it is based, soonest first."""
        return not self.near and self.lat is None


def _number(args: MultiDict[str, str], name: str) -> float | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    value, wrong = finite_number(name, raw)
    if value is None:
        raise BadParameter(wrong)
    return value


def _whole(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise BadParameter(f"{name} must be a whole number from {low} to {high}, not {show(raw)}.")
    return value


def parse_query(args: MultiDict[str, str]) -> MeetingQuery:
    """Every parameter checked; BadParameter names the first one that is wrong."""
    for name, value in args.items(multi=True):
        if "\x00" in value:  # never typed, and PostgreSQL cannot even compare it
            raise BadParameter(f"{name} has a NUL byte; remove it.")
    near = " ".join((args.get("near") or "").split()) or None
    given = read_filters(args, raise_first, unknown_types=True)
    lat, lng = given.lat, given.lng
    if near and lat is not None:
        raise BadParameter("Give either near or lat and lng, not both.")
    online_only = set(given.attendance) == {"online"}
    if not near and lat is None and not online_only:
        raise BadParameter(
            "Give near (a ZIP code, city or address) or both lat and lng; "
            "or attendance=online alone for online meetings anywhere."
        )
    tz = " ".join((args.get("tz") or "").split()) or None
    if tz is not None and (near or lat is not None):
        raise BadParameter(
            "tz is only for online meetings anywhere (attendance=online with no place): "
            "a place has its own time zone."
        )
    if tz is not None and not is_known_zone(tz):
        raise BadParameter(f"tz must be an IANA time zone like America/Chicago, not {show(tz)}.")
    radius = _number(args, "radius_km")
    radius = DEFAULT_RADIUS_KM if radius is None else radius
    if not 0 < radius <= MAX_RADIUS_KM:
        raise BadParameter(f"radius_km must be more than 0 and at most {MAX_RADIUS_KM:g}.")
    filters = Filters(
        times_of_day=frozenset(given.times),
        types=frozenset(given.types),
        attendance=frozenset(given.attendance),
        fellowships=frozenset(given.fellowships),
        name=name_words(given.name),
    )
    return MeetingQuery(near, lat, lng, radius, given.days, filters,
                        limit=_whole(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                        offset=_whole(args, "offset", 0, 0, MAX_OFFSET), tz=tz)  # fmt: skip


def resolve_center(session: Session, query: MeetingQuery) -> Center:
    """The search centre: the coordinates given, or the place `near` names."""
    if query.lat is not None and query.lng is not None:
        return Center(query.lat, query.lng, f"{query.lat:.5f}, {query.lng:.5f}", False)
    geocoder = current_app.extensions.get("finder.geocoder")
    place = locate(session, query.near or "", geocoder)
    one_place(query.near or "", place.choices)
    return Center(place.latitude, place.longitude, place.label, place.approximate)


def with_days(query: MeetingQuery, center: Center, now: dt.datetime) -> Filters:
    """The filters with "today" and "tomorrow" read in the centre's time zone."""
    tz_name = timezone_at(center.lat, center.lng)
    times = query.filters.times_of_day
    days = today_days(query.days, local_weekday(now, tz_name), times)
    # "today" is what is still to come today (in progress or starting before midnight there).
    return replace(
        query.filters,
        days=days,
        starts_before=today_cut(query.days, times, end_of_local_day(now, tz_name)),
    )


def public_address(location: Location) -> str:
    """The address to show; an approximate place never gets a (false) street address.
    Given in parts (BMLT), it is joined with its ZIP code, as an area's is."""
    region = f"{location.state} {location.postal_code}".strip()
    if location.approximate and (location.city or location.state):
        return ", ".join(p for p in (location.city, region, location.country) if p)
    return location.formatted_address or ", ".join(
        p for p in (location.address, location.city, region, location.country) if p
    )


def meeting_url_prefix() -> str:
    """What every absolute meeting-page URL starts with; the slug, quoted, follows.
    The route's path is worked out once per application root, not once per request."""
    paths: dict[str, str] = current_app.extensions.setdefault("finder.meeting_paths", {})
    path = paths.get(request.script_root)
    if path is None:
        marker = "SLUG"
        path = paths[request.script_root] = url_for("search.meeting", slug=marker)[: -len(marker)]
    base = str(current_app.config.get("SERVER_NAME_FOR_LINKS") or request.host_url).rstrip("/")
    return base + path


def meeting_urls() -> Callable[[str], str]:
    """Absolute meeting-page URLs by slug: url_for once per request, not once per meeting."""
    prefix = meeting_url_prefix()
    return lambda slug: prefix + quote(slug, safe="")


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def static_json(meeting: Meeting) -> dict[str, Any]:
    """What the API shows of a meeting that is the same for every request."""
    location = meeting.location
    return {
        "slug": meeting.slug,
        "name": meeting.name,
        "day": meeting.day,
        "time": _hhmm(meeting.time),
        "end_time": _hhmm(meeting.end_time),
        "timezone": location.timezone,
        "types": list(meeting.types or []),
        "location": location.name,
        "formatted_address": public_address(location),
        "latitude": location.latitude,
        "longitude": location.longitude,
        "fellowship": meeting.fellowship.code,
        "approximate": location.approximate,
        "rough_point": location.rough_point,
        "group": meeting.group.name if meeting.group else None,
        # A mail program's click checker's address: the link inside, or none; a meeting
        # service's bare home page: none (as on pages).
        "conference_url": join_link(meeting.conference_url),
        "conference_phone": meeting.conference_phone or None,
        "demo": bool(meeting.source and meeting.source.is_demo),
    }


def dynamic_json(hit: Hit, url: str, room: bool = True) -> dict[str, Any]:
    """What depends on the request: distance, next start and the link's host."""
    occurrence = hit.occurrence
    return {
        "attendance": hit.attendance,
        # An area is no room, nor is a closed room whose meeting goes on online: no distance
        # to it as if one could walk there (as on the result cards).
        "distance_km": round(hit.distance_km, 3) if room and hit.attendance != "online" else None,
        "next_start": occurrence.start_iso if occurrence else None,
        "url": url,
        "in_progress": bool(occurrence and occurrence.in_progress),
    }


def meeting_json(result: Result, url: Callable[[str], str] | None = None) -> dict[str, Any]:
    """One meeting of an answer, as a dict."""
    hit = Hit(0, result.distance_km, result.occurrence, result.attendance, "")
    meeting = result.meeting
    room = meeting.location.kind == "room"
    link = (url or meeting_urls())(meeting.slug)
    return static_json(meeting) | dynamic_json(hit, link, room)


def encoded_meetings(session: Session, hits: list[Hit]) -> list[bytes]:
    """Each hit's meeting as encoded JSON: the static part kept per meeting (see
    finder.fragments), so only meetings not seen since their last change are read."""
    cache = fragment_cache(session)
    static: dict[int, tuple[str, bytes, bool]] = {}  # quoted slug, JSON, whether a room
    if cache is not None:
        for hit in hits:
            kept = cache.pieces(hit.meeting_id).get("api")
            if kept is not None:
                static[hit.meeting_id] = kept
    missing = [h.meeting_id for h in hits if h.meeting_id not in static]
    shared = cache.shared if cache is not None else None
    for meeting_id, meeting in meetings_by_id(session, missing, shared).items():
        room = meeting.location.kind == "room"
        piece = (quote(meeting.slug, safe=""), orjson.dumps(static_json(meeting))[1:-1], room)
        static[meeting_id] = piece
        if cache is not None:
            cache.pieces(meeting_id)["api"] = piece
    prefix = meeting_url_prefix()
    encoded = []
    for hit in hits:
        quoted_slug, fixed, room = static[hit.meeting_id]
        moving = orjson.dumps(dynamic_json(hit, prefix + quoted_slug, room))[1:-1]
        encoded.append(b"{" + fixed + b"," + moving + b"}")
    return encoded


def _error(message: str) -> tuple[Response, int]:
    return jsonify(error=message), 400


@bp.get("/api/v1/meetings")
@limiter.limit("120 per minute")
def meetings() -> ResponseReturnValue:
    """Meetings near a place or a point, nearest first; the same question asked again in
    the same minute gets the same answer, kept (finder.kept_answers)."""
    session = get_session()
    now = now_utc()
    minute = int(now.timestamp()) // 60
    return kept_answers.answer("api", session, minute, lambda: nearby_meetings(session, now))


def nearby_meetings(session: Session, now: dt.datetime) -> ResponseReturnValue:
    try:
        query = parse_query(request.args)
        if query.anywhere:
            return online_anywhere(session, query, now)
        center = resolve_center(session, query)
        filters = with_days(query, center, now)
    except BadParameter as exc:
        return _error(str(exc))
    except PlaceNotFound as exc:
        if not exc.query:
            return _error(str(exc))
        return _error(
            f"No place found for near={exc.query!r}: give a 5-digit US ZIP code, "
            "'City, ST', an address, or lat and lng instead."
        )
    # Only the page asked for becomes Python objects; the index counts the rest.
    found = search_hits(
        session, center.lat, center.lng, query.radius_km, filters, now,
        sort="distance", offset=query.offset, limit=query.limit,
    )  # fmt: skip
    center_json = {"lat": center.lat, "lng": center.lng, "label": center.label,
                   "approximate": center.approximate}  # fmt: skip
    return answer_of(session, found.hits, query, found.total, center=center_json,
                     radius_km=query.radius_km)  # fmt: skip


def answer_of(
    session: Session, hits: list[Hit], query: MeetingQuery, total: int, **fields: Any
) -> Response:
    """The JSON answer: these meetings (their kept JSON joined as bytes), the total, the page
    asked for and the other fields given."""
    outer = orjson.dumps({"meetings": None, **fields, "total": total, "limit": query.limit,
                          "offset": query.offset})  # fmt: skip
    listed = b"[" + b",".join(encoded_meetings(session, hits)) + b"]"
    body = outer.replace(b'"meetings":null', b'"meetings":' + listed, 1)
    return Response(body, mimetype="application/json")


def online_anywhere(session: Session, query: MeetingQuery, now: dt.datetime) -> Response:
    """Online meetings wherever they are based, soonest first, as the pages' "online
    meetings anywhere": "today" and weekdays on each meeting's own clock, or on `tz`'s."""
    relative = relative_day(query.days)
    today = local_weekday(now, query.tz or "UTC")
    times = query.filters.times_of_day
    days = frozenset() if relative else today_days(query.days, today, times)
    filters = replace(query.filters, days=days)
    hits = online_hits(session, filters, now, relative_day=relative, viewer_tz=query.tz)
    shown = hits[query.offset : query.offset + query.limit]
    return answer_of(session, shown, query, len(hits), center=None, timezone=query.tz,
                     radius_km=None)  # fmt: skip


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    body, status = health.report()
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response


@bp.after_app_request
def api_headers(response: Response) -> Response:
    """Public read-only data: any origin may read it; good answers are cached briefly."""
    if request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        if "Cache-Control" not in response.headers:
            ok = response.status_code == 200
            response.headers["Cache-Control"] = (
                f"public, max-age={CACHE_SECONDS}" if ok else "no-store"
            )
    return response
