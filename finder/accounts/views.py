"""Account pages: register, log in, log out, change password, export and delete."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from finder.accounts import favorites, store
from finder.accounts.forms import DeleteAccountForm, LoginForm, PasswordChangeForm, RegisterForm
from finder.accounts.models import User
from finder.accounts.timezones import guess_zone, zone_choices
from finder.db import get_session
from finder.extensions import limiter
from finder.i18n import gettext as _
from finder.i18n import ngettext
from finder.security import is_safe_next

bp = Blueprint("accounts", __name__)

TOO_MANY = "Too many attempts. Please wait a minute, then try again."


def current_account() -> User | None:
    """The logged-in user, or None."""
    user = current_user._get_current_object()
    return user if isinstance(user, User) else None


def account() -> User:
    """The logged-in user, for views behind @login_required."""
    user = current_account()
    assert user is not None
    return user


def safe_next(default: str) -> str:
    """The `next` the form or URL asked for when it is one of our pages, else default."""
    target = request.form.get("next") or request.args.get("next")
    return target.strip() if target and is_safe_next(target) else default


def browser_favorites() -> list[str]:
    """Slugs starred in this browser before logging in (from the signed cookie)."""
    if "browser_favorites" in g:
        return list(g.browser_favorites)
    raw = request.cookies.get(favorites.COOKIE_NAME)
    return favorites.load_cookie(str(bp_secret()), raw)


def bp_secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def set_browser_favorites(slugs: list[str]) -> None:
    """Remember the new cookie list; the after-request hook writes it."""
    g.browser_favorites = slugs


@bp.after_request
def _write_favorites_cookie(response: Response) -> Response:
    if "browser_favorites" not in g:
        return response
    if g.browser_favorites:
        response.set_cookie(
            favorites.COOKIE_NAME,
            favorites.dump_cookie(bp_secret(), g.browser_favorites),
            max_age=favorites.COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    else:
        response.delete_cookie(favorites.COOKIE_NAME, httponly=True, samesite="Lax")
    return response


@bp.after_request
def _private(response: Response) -> Response:
    """Account pages are nobody else's: never stored by a browser or shared cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def start_session(user: User, remember: bool) -> int:
    """A fresh session for the user; merges this browser's favorites into the account."""
    starred = browser_favorites()
    session.clear()
    login_user(user, remember=remember)
    session["sid"] = secrets.token_urlsafe(16)  # a new cookie value on every login
    added = favorites.merge(get_session(), user, starred) if starred else 0
    if starred:
        set_browser_favorites([])
    return added


def _with_merged_note(message: str, added: int) -> str:
    """The message, and how many starred meetings came over from this browser, if any."""
    if added == 0:
        return message
    note = ngettext(
        "We added %(num)d starred meeting from this browser to your account.",
        "We added %(num)d starred meetings from this browser to your account.",
        added,
    )
    return f"{message} {note}"


def _login_username_address_key() -> str:
    """Failures for one username from one address: a stranger elsewhere can't lock it.

    Hashed, since Flask-Limiter logs the keys it blocks. There is deliberately no limit
    per username alone: failures from strangers' addresses would lock the owner out.
    """
    name = store.username_key(request.form.get("username", ""))[:40]
    address = get_remote_address()
    return "login:" + hashlib.sha256(f"{name}\n{address}".encode()).hexdigest()[:24]


def _login_failed(_response: Response) -> bool:
    return bool(g.get("login_failed"))


def _registered(_response: Response) -> bool:
    return bool(g.get("registered"))


def _register_form() -> RegisterForm:
    """The form, its zone list including the zone sent (or first guessed from the language)."""
    form = RegisterForm()
    if not form.is_submitted():
        form.timezone.data = guess_zone(request.accept_languages.values())
    form.timezone.choices = zone_choices(form.timezone.data)
    return form


# Shared Wi-Fi (a treatment centre, a library) is one address: mistakes on the form must not
# lock everyone out, so only accounts actually made count toward the hourly limit.
@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], error_message=TOO_MANY)
@limiter.limit("20 per hour", methods=["POST"], deduct_when=_registered, error_message=TOO_MANY)
def register() -> str | BaseResponse:
    if current_account():
        return redirect(url_for("accounts.me"))
    form = _register_form()
    if form.validate_on_submit():
        user = _new_account(form)
        if user is None:
            form.username.errors = [_("That username is taken. Please choose another.")]
        else:
            g.registered = True
            added = start_session(user, remember=False)
            flash(_with_merged_note(_("Welcome! Your account is ready."), added), "success")
            return redirect(safe_next(url_for("accounts.me")))
    return render_template("accounts/register.html", form=form, next=safe_next(""))


def _new_account(form: RegisterForm) -> User | None:
    """The account the form asks for, or None when the username is taken."""
    db = get_session()
    username = form.username.data or ""
    if store.find_user(db, username) is not None:
        return None
    try:
        return store.create_user(db, username, form.password.data or "", form.timezone.data or "")
    except store.UsernameTaken:
        return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], error_message=TOO_MANY)
@limiter.limit(
    "5 per minute;20 per hour",
    key_func=_login_username_address_key,
    methods=["POST"],
    deduct_when=_login_failed,
    error_message=TOO_MANY,
)
def login() -> str | BaseResponse:
    if current_account():
        return redirect(safe_next(url_for("accounts.me")))
    form = LoginForm()
    error = ""
    if form.validate_on_submit():
        db = get_session()
        user = store.authenticate(db, form.username.data or "", form.password.data or "")
        if user is not None:
            added = start_session(user, remember=bool(form.remember.data))
            flash(_with_merged_note(_("You are logged in."), added), "success")
            return redirect(safe_next(url_for("accounts.me")))
        g.login_failed = True
        error = _("That username and password don't match. Please try again.")
    return render_template("accounts/login.html", form=form, error=error, next=safe_next(""))


@bp.get("/logout")
def logout_page() -> str | BaseResponse:
    """A typed or bookmarked /logout: logging out is a POST (a link must not end a session),
    so this asks for the tap; with no one logged in there is nothing to do."""
    if current_account() is None:
        return redirect(url_for("search.index"))
    return render_template("accounts/logout.html")


@bp.post("/logout")
def logout() -> BaseResponse:
    user = current_account()
    if user is not None:  # a copied session or remember-me cookie stops working too
        store.end_sessions(get_session(), user)
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the remember-me cookie
    flash(_("You are logged out."), "success")
    return redirect(url_for("search.index"))


@bp.get("/me")
@login_required
def me() -> str:
    return render_template("accounts/me.html", user=account())


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"], error_message=TOO_MANY)
def change_password() -> str | BaseResponse:
    user = account()
    form = PasswordChangeForm()
    form.account_username = user.username
    if form.validate_on_submit():
        db = get_session()
        if store.authenticate(db, user.username, form.current_password.data or "") is None:
            form.current_password.errors = [_("That is not your current password.")]
        else:
            store.change_password(db, user, form.password.data or "")
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            remember = cookie in request.cookies
            start_session(user, remember=remember)
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("accounts.me"))
    return render_template("accounts/password.html", form=form)


@bp.get("/me/export.json")
@login_required
def export() -> Response:
    now = dt.datetime.now(dt.UTC)
    data = store.export_data(get_session(), account(), now)
    body = json.dumps(data, indent=2, ensure_ascii=False)
    response = Response(body, mimetype="application/json")
    filename = f"finder-export-{now:%Y-%m-%d}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"], error_message=TOO_MANY)
def delete_account() -> str | BaseResponse:
    user = account()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        db = get_session()
        if store.authenticate(db, user.username, form.password.data or "") is None:
            form.password.errors = [_("That is not your password. Nothing was deleted.")]
        else:
            store.delete_account(db, user)
            session.clear()
            logout_user()
            set_browser_favorites([])
            flash(_("Your account and everything in it are deleted."), "success")
            return redirect(url_for("search.index"))
    from finder.organize.roles import groups_left_without_organizers

    alone = groups_left_without_organizers(get_session(), user)
    shared = store.lists_made(get_session(), user.id)
    return render_template(
        "accounts/delete.html", form=form, groups_alone=alone, lists_shared=shared
    )
