"""Responses over the wire: gzip for text, and a year's caching for content-hashed static files.

A phone on a slow connection pays for every byte: pages are gzipped here so that
gunicorn serving directly (no proxy in front) still sends small pages.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request
from zlib_ng import zlib_ng

COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
}
MIN_SIZE = 500  # below this gzip's own header outweighs the saving
# zlib-ng: the same deflate format at the same level in about two thirds of zlib's time
# (bench/README.md); wbits 31 writes the gzip container.
GZIP_LEVEL = 6
GZIP_WBITS = 31
ONE_YEAR = 365 * 24 * 3600


def cache_hashed_static(response: Response) -> Response:
    """static_url() adds ?v=<content hash>: such a URL never changes, so cache it for a year."""
    if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


# Comments a browser never needs: whole-line // comments in the script (app.js has no
# template literals, so no string spans lines) and /* */ comments in the stylesheet.
JS_LINE_COMMENT = re.compile(rb"^[ \t]*//[^\n]*\n", re.M)
CSS_COMMENT = re.compile(rb"/\*.*?\*/", re.S)


def lean_static(response: Response) -> Response:
    """The script and stylesheet without their comments (about 2 KB of a first visit as
    sent): the files in static/ stay documented, a phone downloads only the code."""
    filename = (request.view_args or {}).get("filename", "")
    if request.endpoint != "static" or response.status_code != 200:
        return response
    if not str(filename).endswith((".js", ".css")):
        return response
    response.direct_passthrough = False
    body = response.get_data()
    pattern = JS_LINE_COMMENT if str(filename).endswith(".js") else CSS_COMMENT
    response.set_data(pattern.sub(b"", body))
    return response


def gzip_response(response: Response) -> Response:
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or request.accept_encodings.quality("gzip") <= 0
        or (response.is_streamed and not response.direct_passthrough)
    ):
        return response
    # Static files come as a file wrapper: read the (small, long-cached) file to compress it.
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(zlib_ng.compress(body, GZIP_LEVEL, GZIP_WBITS))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, _weak = response.get_etag()
    if etag:
        response.set_etag(etag, weak=True)  # the bytes differ from the identity encoding
    return response


def init_app(app: Flask) -> None:
    # after_request hooks run in reverse order of registration: compress last.
    app.after_request(gzip_response)
    app.after_request(cache_hashed_static)
    app.after_request(lean_static)
