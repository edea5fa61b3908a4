"""Error pages: friendly HTML for people, {"error": ...} JSON for the API."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException, InternalServerError

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


def handle_http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    code = exc.code or 500
    if code >= 500:
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()
    # A 429's description is the limit itself ("10 per 1 minute"): say it in words instead.
    known = MESSAGES.get(code)
    message = exc.description if code == 400 and exc.description else str(known or exc.name)
    if code == 429:
        message = too_many_message(exc)
    if code == 400 and "CSRF" in (exc.description or ""):
        message = _("This form expired or came from another site. Please go back and try again.")
    if wants_json():
        return jsonify(error=message), code
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
    current_app.logger.error("unhandled %s on %s", type(exc).__name__, request.path, exc_info=exc)
    return handle_http_error(InternalServerError(original_exception=exc))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
