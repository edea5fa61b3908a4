"""GET /api/v1/feed.json: finder's meetings as a Meeting Guide feed, cacheable and compressed."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, Response, current_app, request, url_for
from werkzeug.routing import BuildError

from finder.db import get_session
from finder.feeds.export import SLUG_PLACEHOLDER
from finder.feeds.feed_cache import DEFAULT_MAX_AGE, FeedCache

bp = Blueprint("feeds", __name__)

CACHE_SECONDS = 300
CACHE_KEY = "finder.feed_cache"


def link_template() -> str:
    """The absolute URL of a meeting's page on this site, with a placeholder for the slug."""
    public_base = str(current_app.config.get("SERVER_NAME_FOR_LINKS") or "").rstrip("/")
    try:
        template = url_for("search.meeting", slug=SLUG_PLACEHOLDER, _external=not public_base)
    except BuildError:  # the meeting page is not registered (a stripped-down app)
        template = url_for("feeds.feed", _external=not public_base).replace(
            "api/v1/feed.json", f"meetings/{SLUG_PLACEHOLDER}"
        )
    return public_base + template if public_base else template


def install_cache(app: Flask) -> None:
    """One built-feed cache per app (per process), FEED_CACHE_SECONDS old at most."""
    max_age = float(app.config.get("FEED_CACHE_SECONDS", DEFAULT_MAX_AGE))
    app.extensions[CACHE_KEY] = FeedCache(max_age)


def feed_cache() -> FeedCache:
    cache: FeedCache = current_app.extensions[CACHE_KEY]
    return cache


def wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


@bp.get("/api/v1/feed.json")
def feed() -> Response:
    built = feed_cache().get(get_session(), link_template())
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
        response.set_data(built.plain)
    return response


def not_modified(etag: str, modified: dt.datetime | None) -> bool:
    """If-None-Match (weakly compared) decides when sent; else If-Modified-Since."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and modified is not None and modified <= since
