"""Answers kept for the rest of their minute: the same search asked again is not run again.

A results page or an API answer is the same for everyone who asks for the same URL on
the same host, in the same minute, at the same index version (finder.spatial.changes),
with the same language and cookies. ZIP codes, cities and the links sponsors send are
asked for over and over: a popular one is then searched once a minute in each process,
not once a request. The API already tells every cache it may keep an answer a minute.

Nothing one visitor did can reach another's page:

- only answers to anonymous visitors are kept or served from here: a session holding
  anything but its CSRF token (a login, a flashed message) or a remember-me cookie
  bypasses it both ways;
- the key is the whole URL with its scheme, host and application root, Accept-Language,
  and every cookie but the session's (the language chosen, the time zone, this browser's
  saved meetings);
- a page's CSRF token (its Save stars are forms) is cut out when it is kept, and the
  visitor's own is put in each time it is served.

Everything kept is dropped as soon as the minute or the index version moves on: an
answer is at most a minute old, as if loaded that long ago, and never older than a write.
Answers are kept per process, up to KEPT_ANSWERS_MB (0 turns this off).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Response, current_app, g, request, session
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import Session

from finder.context import app_globals
from finder.spatial.changes import has_tables, session_version

NOT_KEPT = "finder.not_kept"
Key = tuple[object, ...]
Stamp = tuple[int, int]  # (index version, minute)
Entry = tuple[str, tuple[bytes, ...]]  # (mimetype, body cut where each CSRF token was)


@dataclass
class Kept:
    """One process's kept answers, all from one stamp."""

    stamp: Stamp | None = None
    answers: OrderedDict[Key, Entry] = field(default_factory=OrderedDict)
    size: int = 0  # bytes held
    lock: threading.Lock = field(default_factory=threading.Lock)
    served: int = 0  # answers served from here (tests and the benchmark read it)

    def find(self, key: Key, stamp: Stamp) -> Entry | None:
        with self.lock:
            if stamp != self.stamp:
                return None
            entry = self.answers.get(key)
            if entry is not None:
                self.answers.move_to_end(key)
                self.served += 1
            return entry

    def keep(self, key: Key, stamp: Stamp, entry: Entry, limit: int) -> None:
        size = _size(entry)
        if size > limit:
            return
        with self.lock:
            if stamp != self.stamp:
                held = self.stamp
                if held is not None and stamp[0] <= held[0] and stamp[1] <= held[1]:
                    return  # a slower request from before the last change
                self.stamp, self.size = stamp, 0
                self.answers.clear()
            old = self.answers.pop(key, None)
            self.size -= _size(old) if old else 0
            self.answers[key] = entry
            self.size += size
            while self.size > limit:
                _key, dropped = self.answers.popitem(last=False)
                self.size -= _size(dropped)


def _size(entry: Entry) -> int:
    return sum(len(part) for part in entry[1])


def kept(app_extensions: dict[str, object]) -> Kept:
    found = app_extensions.get("finder.kept_answers")
    if not isinstance(found, Kept):
        found = app_extensions["finder.kept_answers"] = Kept()
    return found


def _limit() -> int:
    return int(float(current_app.config.get("KEPT_ANSWERS_MB", 16)) * 1024 * 1024)


def anonymous_key(kind: str) -> Key | None:
    """This request's key, or None when its answer must be neither kept nor served kept."""
    config = current_app.config
    if _limit() <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return None
    # A login, a flash, anything but the CSRF token and Flask-Login's "not a fresh login"
    # mark (it sets that on any session that is not empty).
    if not session.keys() <= {_token_name(), "_fresh"}:
        return None
    session_cookie = config["SESSION_COOKIE_NAME"]
    cookies = tuple(
        sorted((k, v) for k, v in request.cookies.items(multi=True) if k != session_cookie)
    )
    return (
        kind,
        request.scheme,
        request.host,
        request.script_root,  # the application's root (SCRIPT_NAME): its links start there
        request.path,
        request.query_string,
        request.headers.get("Accept-Language", ""),
        cookies,
    )


def _token_name() -> str:
    return str(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def stamp(db: Session, minute: int) -> Stamp | None:
    """(version, minute), or None when the schema has no version to key on."""
    if not has_tables(db.connection()):
        return None
    return (session_version(db), minute)


def answer(
    kind: str, db: Session, minute: int, build: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue:
    """The kept answer to this request, else build()'s, kept when it is a 200 answer.

    build() returns a (str, 200) page, or a Response; anything else passes through."""
    g.pop(NOT_KEPT, None)  # g outlives a request where a test or a command holds its context
    key = anonymous_key(kind)
    now = stamp(db, minute) if key is not None else None
    if key is None or now is None:
        return build()
    store = kept(current_app.extensions)
    entry = store.find(key, now)
    if entry is not None:
        return _served(entry)
    built = build()
    entry = _parts(built)
    if entry is not None:
        store.keep(key, now, entry, _limit())
    return built


def do_not_keep() -> None:
    """This request's answer holds what may be right only now (an error message, a place
    guessed while the geocoder is down): build the next one afresh. No-op outside a request."""
    found = app_globals()
    if found is not None:
        found.setdefault(NOT_KEPT, True)


def _parts(built: ResponseReturnValue) -> Entry | None:
    """The answer's type and body, cut at this request's CSRF token, if it is one to keep."""
    if g.get(NOT_KEPT):
        return None
    token = g.get(_token_name())
    if isinstance(built, tuple) and len(built) == 2 and built[1] == 200:
        body = built[0]
        if not isinstance(body, str):
            return None
        pieces = body.split(str(token)) if token else [body]
        return "text/html", tuple(piece.encode() for piece in pieces)
    if isinstance(built, Response) and built.status_code == 200 and not built.is_streamed:
        if token or "Set-Cookie" in built.headers:
            return None
        return built.mimetype or "application/octet-stream", (built.get_data(),)
    return None


def _served(entry: Entry) -> ResponseReturnValue:
    mimetype, parts = entry
    body = parts[0] if len(parts) == 1 else generate_csrf().encode().join(parts)
    return Response(body, mimetype=mimetype)
