"""Accounts: log in, favorite meetings, private sobriety dates and milestones, export, delete."""

from __future__ import annotations

import datetime as dt

from flask import Flask, Request, Response, g, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_login import LoginManager, current_user

from finder.accounts import store, words
from finder.accounts.models import User
from finder.db import get_session
from finder.i18n import lazy_gettext

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = lazy_gettext("Please log in to see that page.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # the lazy message, in the language of the request


@login_manager.user_loader
def _load_user(cookie_id: str) -> User | None:
    return store.load_user(get_session(), cookie_id)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or _is_https(request))

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        super().save_session(app, session, response)
        # Static files and the API read the session only in passing (Flask-Login's hook):
        # their bodies never depend on cookies, so shared caches may keep one copy.
        cookie_free = request.endpoint == "static" or request.path.startswith("/api/")
        if cookie_free and "Set-Cookie" not in response.headers:
            # Rebuilt by hand: HeaderSet.discard misses "Cookie" once other values are set.
            kept = [v for v in response.vary if v.lower() != "cookie"]
            if kept:
                response.headers["Vary"] = ", ".join(kept)
            else:
                response.headers.pop("Vary", None)


def _is_https(req: Request) -> bool:
    try:
        return bool(req.is_secure)
    except RuntimeError:  # outside a request
        return False


def mark_cookies_secure(response: Response) -> Response:
    """Add Secure to every cookie this response sets when it is served over HTTPS."""
    if not _is_https(request):
        return response
    cookies = response.headers.getlist("Set-Cookie")
    if any("; secure" not in c.lower() for c in cookies):
        fixed = [c if "; secure" in c.lower() else f"{c}; Secure" for c in cookies]
        response.headers.setlist("Set-Cookie", fixed)
    return response


# Per-request values kept on g. g lives as long as the app context, which a test or a
# CLI command may hold across several requests, so each request starts without them.
REQUEST_KEYS = (
    "_login_user",
    "account_unread",
    "favorite_slugs",
    "browser_favorites",
    "login_failed",
    "registered",
)


def forget_previous_request() -> None:
    for key in REQUEST_KEYS:
        g.pop(key, None)


# On every page: whether it was made for someone signed in ("1") or not ("0"). A phone whose
# saved pages (static/sw.js) were a signed-in person's forgets them at the first page made for
# nobody: the account was signed out elsewhere (a new password, "log out" on another device)
# or its session ran out, and My meetings must not stay readable offline there.
SIGNED_IN_HEADER = "X-Finder-Signed-In"


def leave_account_unread() -> None:
    """This page is made for nobody without reading the account, as a page that must open
    while the database is down is: it then says nothing of who is signed in."""
    g._login_user = login_manager.anonymous_user()
    g.account_unread = True


def say_if_signed_in(response: Response) -> Response:
    # A 5xx page may be the database's outage: it must not read the account from there.
    if response.mimetype != "text/html" or response.status_code >= 500 or g.get("account_unread"):
        return response
    response.headers[SIGNED_IN_HEADER] = "1" if current_user.is_authenticated else "0"
    return response


def init_app(app: Flask) -> None:
    """Flask-Login, secure cookies and the accounts blueprint."""
    from finder.accounts import (  # noqa: F401
        views,
        views_favorites,
        views_sharing,
        views_sobriety,
    )

    app.config.setdefault("REMEMBER_COOKIE_DURATION", dt.timedelta(days=30))
    app.session_interface = SessionInterface()
    app.before_request(forget_previous_request)
    # Registered before Flask-Login's own hook, so it runs after it and sees its cookie.
    app.after_request(mark_cookies_secure)
    app.after_request(say_if_signed_in)
    login_manager.init_app(app)
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(
        is_favorite=views_favorites.is_favorite, current_page=views_favorites.current_page
    )
    app.jinja_env.globals.update(
        went_today=views_sharing.went_today,
        calendar_subscription=views_sharing.subscription_urls,
        my_lists=views_sharing.my_lists,
    )
    app.jinja_env.filters.update(
        sober_days=words.days_words,
        span_words=words.span_words,
        milestone_label=words.milestone_label,
        date_label=words.date_label,
    )  # long_date: finder/i18n.py, in the person's language
