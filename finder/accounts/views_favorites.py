"""Favorite meetings: the star toggle and /me/favorites, with or without an account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

import finder.search as search_pkg
from finder.accounts import favorites
from finder.accounts.forms import ConfirmForm
from finder.accounts.views import (
    account,
    bp,
    browser_favorites,
    current_account,
    safe_next,
    set_browser_favorites,
)
from finder.context import page_path
from finder.db import get_session
from finder.i18n import gettext as _
from finder.models import SLUG_LENGTH
from finder.search.present import (
    When,
    demo_footnote,
    describe_when,
    on_clock,
    safe_web_url,
)
from finder.search.viewer import viewer_zone


def favorite_slugs() -> set[str]:
    """This person's starred slugs (account or browser), looked up once per request."""
    if "favorite_slugs" not in g:
        user = current_account()
        if user is not None:
            g.favorite_slugs = favorites.favorite_slugs(get_session(), user.id)
        else:
            g.favorite_slugs = set(browser_favorites())
    slugs: set[str] = g.favorite_slugs
    return slugs


def is_favorite(slug: str) -> bool:
    """For templates: is this meeting starred?"""
    return slug in favorite_slugs()


def current_page() -> str:
    """For templates: this page's path and query, where the star form returns to."""
    return page_path()


def _wanted(slug: str) -> bool:
    action = request.form.get("action", "")
    if action in ("add", "remove"):
        return action == "add"
    return not is_favorite(slug)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.post("/meetings/<path:slug>/favorite")
def toggle_favorite(slug: str) -> BaseResponse:
    want = _wanted(slug)
    db = get_session()
    meeting = favorites.find_meeting(db, slug) if len(slug) <= SLUG_LENGTH else None
    if want and (meeting is None or not meeting.published):
        abort(404)
    user = current_account()
    if user is not None:
        favorites.set_favorite(db, user, slug, want)
    else:
        set_browser_favorites(favorites.toggle_slug(browser_favorites(), slug, want))
    g.pop("favorite_slugs", None)
    name = meeting.name if meeting else _("The meeting")
    if want:
        message = _("Saved “%(name)s” to your meetings.", name=name)
    else:
        message = _("Removed “%(name)s” from your meetings.", name=name)
    if _wants_json():
        return jsonify(slug=slug, favorite=want, message=message)
    flash(message, "success")
    return redirect(safe_next("/meetings/" + quote(slug, safe="")))


@dataclass(frozen=True)
class SavedCard:
    """What a saved meeting's card shows, as a search card does: when, how to attend, join."""

    when: When | None
    attendance: str
    join_url: str | None


def saved_card(item: favorites.SavedMeeting, now: dt.datetime, zone: str | None) -> SavedCard:
    """The card for one saved meeting; online meetings read on the viewer's clock when known."""
    meeting, occurrence = item.meeting, item.occurrence
    attendance = meeting.attendance if meeting is not None else ""
    if occurrence is not None and attendance == "online" and zone:
        occurrence = on_clock(occurrence, ZoneInfo(zone))
    join = safe_web_url(meeting.conference_url) if meeting is not None else None
    join = join if attendance in ("online", "hybrid") else None
    return SavedCard(describe_when(occurrence, now), attendance, join)


@bp.get("/me/favorites")
def saved() -> str:
    now = search_pkg.now_utc()
    db = get_session()
    user = current_account()
    if user is not None:
        items = favorites.account_favorites(db, user, now)
    else:
        items = favorites.saved_meetings(db, {s: {} for s in browser_favorites()}, now)
    zone = viewer_zone()  # the same rule as online search results: device, then account
    return render_template(
        "accounts/favorites.html",
        items=items,
        cards={item.slug: saved_card(item, now, zone) for item in items},
        now=now,
        user=user,
        form=ConfirmForm(),
        demo_notice=demo_footnote(item.meeting for item in items),
    )


@bp.post("/me/favorites/<slug>/seen")
@login_required
def mark_seen(slug: str) -> BaseResponse:
    if not favorites.mark_seen(get_session(), account(), slug):
        abort(404)
    flash(_("Noted. We'll tell you if it changes again."), "success")
    return redirect(url_for("accounts.saved"))
