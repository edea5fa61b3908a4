"""GET /api/v1/feed.json: finder's meetings as a Meeting Guide feed, cacheable and compressed."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.routing import BuildError

from finder.db import get_session
from finder.feeds.export import LinkFor, feed_body, last_modified

bp = Blueprint("feeds", __name__)

PLACEHOLDER = "__slug__"
CACHE_SECONDS = 300


def meeting_link() -> LinkFor:
    """A function giving the absolute URL of a meeting's page on this site."""
    public_base = str(current_app.config.get("SERVER_NAME_FOR_LINKS") or "").rstrip("/")
    try:
        template = url_for("search.meeting", slug=PLACEHOLDER, _external=not public_base)
    except BuildError:  # the meeting page is not registered (a stripped-down app)
        template = url_for("feeds.feed", _external=not public_base).replace(
            "api/v1/feed.json", f"meetings/{PLACEHOLDER}"
        )
    if public_base:
        template = public_base + template
    before, _, after = template.partition(PLACEHOLDER)
    return lambda slug: f"{before}{quote(slug, safe='')}{after}"


def wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


@bp.get("/api/v1/feed.json")
def feed() -> Response:
    session = get_session()
    body = feed_body(session, meeting_link())
    modified = last_modified(session)
    etag = hashlib.sha256(body).hexdigest()[:32]
    response = Response(mimetype="application/json")
    response.set_etag(etag, weak=True)  # weak: the gzip and plain bodies are the same data
    response.last_modified = modified
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept-Encoding")
    if not_modified(etag, modified):
        response.status_code = 304
        return response
    if wants_gzip():
        response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(body)
    return response


def not_modified(etag: str, modified: dt.datetime | None) -> bool:
    """If-None-Match (weakly compared) decides when sent; else If-Modified-Since."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and modified is not None and modified <= since
