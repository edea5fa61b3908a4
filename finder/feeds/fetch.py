"""Reading a feed: a local file, or an https URL fetched with a deadline and a size limit.

The opener is injectable (tests pass a fake; the app may set
app.extensions["finder.feed_opener"]), so no test reaches the network. The real one
(finder.feeds.guard) holds the whole exchange to FEED_TIMEOUT and refuses private addresses.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from finder.feeds.guard import AddressRefused, Deadline, Guard, GuardedHTTPSHandler, resolve

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CHUNK = 64 * 1024
USER_AGENT = "finder-feed-importer/0.1 (meeting finder; Meeting Guide feed reader)"

# Like urllib's OpenerDirector.open(request, timeout=...): returns a response with
# .read(size), .headers and context-manager support.
Opener = Callable[..., Any]


class FetchError(Exception):
    """The feed could not be read; the message says why."""


class _HttpsOnlyRedirects(HTTPRedirectHandler):
    """Follow redirects, but never away from https, nor to a private address."""

    def __init__(self, allow_private: bool = False) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req: Request, fp: IO[bytes], code: int, msg: str,
                         headers: Any, newurl: str) -> Request | None:  # fmt: skip
        parts = urlsplit(newurl)
        if parts.scheme != "https":
            raise FetchError(f"refused a redirect away from https to {newurl}")
        try:
            resolve(parts.hostname or "", parts.port or 443, self.allow_private)
        except AddressRefused as exc:
            raise FetchError(f"refused a redirect to {newurl}: {exc}") from exc
        except OSError:
            pass  # unresolvable: the connection attempt says so
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def default_opener(
    deadline: Deadline | None = None,
    allow_private: bool = False,
    context: ssl.SSLContext | None = None,
) -> Opener:
    """urllib's opener with the deadline and address checks of finder.feeds.guard."""
    guard = Guard(deadline or Deadline(DEFAULT_TIMEOUT), allow_private)
    handlers = (_HttpsOnlyRedirects(allow_private), GuardedHTTPSHandler(guard, context))
    opener: Opener = build_opener(*handlers).open
    return opener


def is_url(source: str) -> bool:
    return source.strip().lower().startswith(("http://", "https://"))


def read_source(
    source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    opener: Opener | None = None,
    allow_private: bool = False,
    context: ssl.SSLContext | None = None,
) -> bytes:
    """The feed's bytes from a file path or an https URL; FetchError says what went wrong."""
    if is_url(source):
        return fetch_url(source.strip(), timeout=timeout, max_bytes=max_bytes, opener=opener,
                         allow_private=allow_private, context=context)  # fmt: skip
    path = Path(source).expanduser()
    if not path.is_file():
        raise FetchError(f"no such file: {source} (give a file path or an https:// URL)")
    if path.stat().st_size > max_bytes:
        raise FetchError(f"{source} is larger than the {_size(max_bytes)} limit")
    return path.read_bytes()


def fetch_url(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    opener: Opener | None = None,
    allow_private: bool = False,
    context: ssl.SSLContext | None = None,
) -> bytes:
    """GET an https URL; gzip is accepted; connecting, headers and body share one deadline."""
    host = urlsplit(url).netloc
    if urlsplit(url).scheme != "https":
        raise FetchError(f"only https URLs are fetched; {url} is not one")
    request = Request(url, headers={  # noqa: S310 (the scheme is https, checked above)
        "User-Agent": USER_AGENT,
        "Accept": "application/json, text/csv;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip",
    })  # fmt: skip
    with Deadline(timeout) as deadline:
        open_url = opener or default_opener(deadline, allow_private, context)
        try:
            with open_url(request, timeout=timeout) as response:
                body = _read_limited(response, max_bytes, deadline.end, timeout)
                encoding = (response.headers.get("Content-Encoding") or "").lower()
        except FetchError:
            raise
        except Exception as exc:
            if deadline.expired:
                raise FetchError(f"{host} did not answer within {timeout:g} s") from exc
            raise _fetch_error(exc, url, host, timeout) from exc
    if deadline.expired:  # the shut socket read as an early end: the answer is cut short
        raise FetchError(f"{host} did not answer within {timeout:g} s")
    return _gunzip(body, max_bytes) if encoding == "gzip" else body


def _fetch_error(exc: Exception, url: str, host: str, timeout: float) -> Exception:
    """The one line an operator reads for what went wrong (else the exception itself)."""
    if isinstance(exc, HTTPError):
        return FetchError(f"{url} answered HTTP {exc.code} {exc.reason}")
    if isinstance(exc, URLError):
        if isinstance(exc.reason, AddressRefused):
            return FetchError(str(exc.reason))
        return FetchError(f"could not reach {host}: {exc.reason}")
    if isinstance(exc, AddressRefused):
        return FetchError(str(exc))
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return FetchError(f"{host} did not answer within {timeout:g} s")
    if isinstance(exc, (OSError, http.client.HTTPException)):
        return FetchError(f"could not read {url}: {exc!r}")
    return exc


def _size(count: int) -> str:
    return f"{count / 1_048_576:g} MB" if count >= 1_048_576 else f"{count / 1024:g} KB"


def _read_limited(response: IO[bytes], max_bytes: int, deadline: float, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    # read1 returns what has arrived (at most CHUNK), so a server dripping a byte at a
    # time still meets the deadline check after every read.
    read = getattr(response, "read1", None) or response.read
    while chunk := read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the feed is larger than the {_size(max_bytes)} limit")
        if time.monotonic() > deadline:
            raise FetchError(f"the download took longer than {timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(f"the feed's gzip encoding is broken ({exc})") from exc
    if len(data) > max_bytes or decompressor.unconsumed_tail:
        raise FetchError(f"the feed is larger than the {_size(max_bytes)} limit")
    return data
