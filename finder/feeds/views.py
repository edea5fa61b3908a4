"""GET /api/v1/feed.json: finder's meetings as a Meeting Guide feed, cacheable and compressed.

The whole feed, or a site's part of it: `?fellowship=` (repeatable) and an area, `near=`
(a place) or `lat` and `lng`, with `radius_km`. Bad parameters answer 400 as the API does.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError

from finder.db import get_session
from finder.extensions import limiter
from finder.feeds.export import SLUG_PLACEHOLDER
from finder.feeds.feed_cache import DEFAULT_MAX_AGE, BuiltFeed, FeedCache
from finder.feeds.feed_stream import Area, Scope
from finder.geocoding import PlaceNotFound, locate
from finder.request_args import (
    BadParameter,
    one_place,
    raise_first,
    read_coordinates,
    read_fellowships,
)

bp = Blueprint("feeds", __name__)

CACHE_SECONDS = 300
CACHE_KEY = "finder.feed_cache"
DEFAULT_RADIUS_KM = 50.0
MAX_RADIUS_KM = 2_000.0


def link_base() -> str:
    """Where meeting links point: PUBLIC_BASE_URL, else the host this request came to."""
    public_base = str(current_app.config.get("SERVER_NAME_FOR_LINKS") or "")
    return (public_base or request.host_url).rstrip("/")


def path_template() -> str:
    """The path of a meeting's page on this site, with a placeholder for the slug."""
    try:
        return url_for("search.meeting", slug=SLUG_PLACEHOLDER)
    except BuildError:  # the meeting page is not registered (a stripped-down app)
        return url_for("feeds.feed").replace("api/v1/feed.json", f"meetings/{SLUG_PLACEHOLDER}")


def install_cache(app: Flask) -> None:
    """One built-feed cache per app (per process), FEED_CACHE_SECONDS old at most."""
    max_age = float(app.config.get("FEED_CACHE_SECONDS", DEFAULT_MAX_AGE))
    app.extensions[CACHE_KEY] = FeedCache(max_age)


def feed_cache() -> FeedCache:
    cache: FeedCache = current_app.extensions[CACHE_KEY]
    return cache


def wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _radius(args: MultiDict[str, str]) -> float:
    raw = (args.get("radius_km") or "").strip()
    try:
        radius = float(raw) if raw else DEFAULT_RADIUS_KM
    except ValueError:
        radius = -1.0
    if not 0 < radius <= MAX_RADIUS_KM:  # NaN fails too
        raise BadParameter(f"radius_km must be a number more than 0 and at most {MAX_RADIUS_KM:g}.")
    return radius


def feed_scope(args: MultiDict[str, str]) -> Scope:
    """The part of the feed asked for; BadParameter or PlaceNotFound when it cannot be read."""
    fellowships = tuple(sorted(read_fellowships(args, raise_first)))
    near = " ".join((args.get("near") or "").split())
    lat, lng = read_coordinates(args, raise_first)
    if near and lat is not None:
        raise BadParameter("Give either near or lat and lng, not both.")
    if not near and lat is None:
        if "radius_km" in args:
            raise BadParameter("radius_km needs near, or lat and lng.")
        return Scope(fellowships)
    if near:
        place = locate(get_session(), near, current_app.extensions.get("finder.geocoder"))
        one_place(near, place.choices)
        lat, lng = place.latitude, place.longitude
    assert lat is not None and lng is not None
    return Scope(fellowships, Area(lat, lng, _radius(args)))


@bp.get("/api/v1/feed.json")
@limiter.limit("30 per minute")  # each answer is megabytes; a 304 costs as much to count
def feed() -> ResponseReturnValue:
    try:
        scope = feed_scope(request.args)
    except BadParameter as exc:
        return jsonify(error=str(exc)), 400
    except PlaceNotFound as exc:
        return jsonify(error=f"No place found for near={exc.query!r}."), 400
    built = feed_cache().get(get_session(), link_base(), path_template(), scope)
    return feed_response(built)


def feed_response(built: BuiltFeed) -> Response:
    """The cached feed as gzip, or streamed as plain JSON; 304 when the client has it."""
    response = Response(mimetype="application/json")
    response.set_etag(built.etag, weak=True)  # weak: the gzip and plain bodies are the same data
    response.last_modified = built.modified
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept-Encoding")
    if not_modified(built.etag, built.modified):
        response.status_code = 304
        return response
    if wants_gzip():
        response.set_data(built.gzipped)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.response = built.plain_pieces()
        response.headers["Content-Length"] = str(built.size)
    return response


def not_modified(etag: str, modified: dt.datetime | None) -> bool:
    """If-None-Match (weakly compared) decides when sent; else If-Modified-Since."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and modified is not None and modified <= since
