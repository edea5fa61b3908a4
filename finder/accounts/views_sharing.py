"""Account pages for sharing: "I went" on a meeting page, and the favorites calendar."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

import finder.search as search_pkg
from finder.accounts import calendar_feed, favorites, meeting_log, sobriety
from finder.accounts.views import account, bp, current_account
from finder.db import get_session
from finder.i18n import gettext as _
from finder.search.queries import published_meeting
from finder.sharing import links, lists
from finder.sharing.calendar import calendar_of
from finder.sharing.models import MeetingList
from finder.sharing.views import ics_response, link_host


def went_today(slug: str) -> bool:
    """For templates: did the logged-in person log this meeting today (their own today)?"""
    user = current_account()
    if user is None:
        return False
    today = sobriety.today_in(user.timezone)
    return meeting_log.went_on(get_session(), user.id, slug, today)


def subscription_urls() -> dict[str, str] | None:
    """For templates: the favorites calendar's https and webcal:// addresses, if made."""
    user = current_account()
    token = calendar_feed.current_token(get_session(), user.id) if user else None
    if token is None:
        return None
    url = links.public_url("accounts.favorites_calendar", token=token)
    return {"https": url, "webcal": links.webcal(url)}


def my_lists() -> list[MeetingList]:
    """For templates: the lists the logged-in person made."""
    user = current_account()
    return lists.lists_of(get_session(), user.id) if user else []


@bp.post("/meetings/<slug>/went")
@login_required
def log_meeting(slug: str) -> ResponseReturnValue:
    db = get_session()
    meeting = published_meeting(db, slug) if len(slug) <= 100 else None
    if meeting is None:
        abort(404)
    user = account()
    meeting_log.record(db, user, meeting, sobriety.today_in(user.timezone))
    flash(_("Noted: you went to %(name)s today.", name=meeting.name), "success")
    return redirect(url_for("search.meeting", slug=slug))


@bp.post("/me/meeting-log/<int:entry_id>/delete")
@login_required
def delete_log_entry(entry_id: int) -> ResponseReturnValue:
    if not meeting_log.delete_entry(get_session(), account(), entry_id):
        abort(404)
    flash(_("That meeting is taken off your log."), "success")
    return redirect(url_for("accounts.sobriety_page") + "#meeting-log")


@bp.post("/me/favorites/calendar")
@login_required
def reset_calendar() -> ResponseReturnValue:
    had = calendar_feed.current_token(get_session(), account().id) is not None
    calendar_feed.new_token(get_session(), account())
    if had:
        flash(_("Your calendar has a new address. The old one no longer works."), "success")
    else:
        flash(_("Your calendar address is ready. Add it to your calendar app."), "success")
    return redirect(url_for("accounts.saved") + "#calendar")


@bp.get("/calendars/<token>.ics")
def favorites_calendar(token: str) -> ResponseReturnValue:
    db = get_session()
    user = calendar_feed.owner_of(db, token)
    if user is None:
        abort(404)
    now = search_pkg.now_utc()
    saved = favorites.account_favorites(db, user, now)
    meetings = [s.meeting for s in saved if s.meeting is not None and s.listed]
    body = calendar_of(meetings, links.meeting_url, now, link_host(), name=_("My meetings"))
    response = ics_response(body, "my-meetings.ics")
    response.headers["Cache-Control"] = "private, no-store"
    return response
