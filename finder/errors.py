"""Error pages: friendly HTML for people, {"error": ...} JSON for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask.globals import request_ctx
from sqlalchemy.exc import DataError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from finder.i18n import gettext as _
from finder.i18n import lazy_gettext
from finder.textclean import for_log

# The database is down, unreachable, out of connections, or locked by a long write.
OUTAGES = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)
RETRY_AFTER_SECONDS = 60
log = logging.getLogger(__name__)

MESSAGES = {
    400: lazy_gettext("Something in that request wasn't right."),
    403: lazy_gettext("Your account does not have access to that page."),
    404: lazy_gettext(
        "We couldn't find that page. The meeting may have moved or the link may be mistyped."
    ),
    405: lazy_gettext("That action isn't allowed here."),
    413: lazy_gettext("That upload is too large."),
    429: lazy_gettext("Too many attempts. Please wait a minute and try again."),
    500: lazy_gettext("Something went wrong on our side. Please try again in a moment."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _drop_session() -> None:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.rollback()
            session.close()
        except Exception:  # the connection may be gone with the database  # noqa: S110
            pass


def handle_http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    code = exc.code or 500
    if code >= 500:
        _drop_session()
    # A 429's description is the limit itself ("10 per 1 minute"): say it in words instead.
    known = MESSAGES.get(code)
    message = exc.description if code == 400 and exc.description else str(known or exc.name)
    if code == 429:
        message = too_many_message(exc)
    if code == 400 and "CSRF" in (exc.description or ""):
        message = _("This form expired or came from another site. Please go back and try again.")
    if wants_json():
        return jsonify(error=message), code
    if request_ctx.url_adapter is None:  # a Host outside TRUSTED_HOSTS: no link can be built
        return Response(message, code, mimetype="text/plain")
    return render_template("error.html", code=code, message=message, title=exc.name), code


def too_many_message(exc: HTTPException) -> str:
    """How long to wait, in words, from the limit that was hit."""
    limit = getattr(exc, "limit", None)
    seconds = limit.limit.get_expiry() if limit is not None else 60
    if seconds <= 60:
        return str(MESSAGES[429])
    if seconds >= 3600:
        return str(_("Too many attempts. Please wait up to an hour and try again."))
    return str(
        _("Too many attempts. Please wait up to %(n)s minutes and try again.", n=seconds // 60)
    )


def handle_unexpected(exc: Exception):  # type: ignore[no-untyped-def]
    # The traceback only: never the request's arguments (where someone searched).
    path = for_log(request.path)
    current_app.logger.error("unhandled %s on %s", type(exc).__name__, path, exc_info=exc)
    return handle_http_error(InternalServerError(original_exception=exc))


def handle_outage(exc: Exception) -> tuple[Response | str, int, dict[str, str]]:
    """The database is unreachable or locked: a calm 503 that needs no database."""
    _drop_session()
    # The exception's class and the database's own words; parameters are hidden by the engine.
    reason = for_log(str(getattr(exc, "orig", None) or type(exc).__name__), 200)
    log.warning("database unavailable on %s: %s", for_log(request.path), reason)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    message = _("finder can't reach its meeting list right now; try again in a minute.")
    if wants_json():
        return jsonify(error=message, status="unavailable"), 503, headers
    return render_template("unavailable.html", code=503, message=message), 503, headers


def handle_bad_data(exc: DataError):  # type: ignore[no-untyped-def]
    """A value the database refused (out of range, unstorable): the request's fault."""
    _drop_session()
    log.warning("database refused a value on %s: %s", for_log(request.path), type(exc.orig))
    return handle_http_error(BadRequest())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    for outage in OUTAGES:
        app.register_error_handler(outage, handle_outage)
    app.register_error_handler(DataError, handle_bad_data)
    app.register_error_handler(Exception, handle_unexpected)
