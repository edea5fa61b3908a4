"""Public, no account: suggest a change to a meeting, and say whether it was on."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from finder.db import get_session
from finder.extensions import limiter
from finder.i18n import gettext as _
from finder.models import Meeting, utcnow
from finder.organize import bp, freshness, moderation
from finder.organize.access import current_account
from finder.organize.forms import ActionForm, SuggestForm
from finder.organize.suggestions import suggest
from finder.search.queries import published_meeting

WENT_COOKIE = "finder_went"
TOO_MANY = "Too many answers from here. Please try again later."


def visible_meeting(slug: str) -> Meeting:
    """A published meeting, or an unpublished one its organizers and admins may see."""
    session = get_session()
    meeting = published_meeting(session, slug) or moderation.preview(
        session, slug, current_account()
    )
    if meeting is None:
        abort(404)
    return meeting


@bp.route("/meetings/<slug>/suggest", methods=["GET", "POST"])
@limiter.limit("10 per hour;30 per day", methods=["POST"])
def suggest_change(slug: str) -> ResponseReturnValue:
    meeting = visible_meeting(slug)
    form = SuggestForm()
    if form.validate_on_submit():
        suggest(get_session(), meeting, form.kind.data or "other", form.message.data or "")
        flash(_("Thank you. Whoever keeps this listing will see your suggestion."), "success")
        return redirect(url_for("search.meeting", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template("organize/suggest.html", meeting=meeting, form=form), status


def went_cookie() -> dict[str, float]:
    """Meetings this browser answered for, with when (a plain cookie: nothing secret)."""
    try:
        raw = json.loads(request.cookies.get(WENT_COOKIE) or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}


@bp.post("/meetings/<slug>/was-it-on")
@limiter.limit("20 per hour", error_message=TOO_MANY)
def went(slug: str) -> ResponseReturnValue:
    meeting = visible_meeting(slug)
    answer = request.form.get("answer", "")
    if not ActionForm().validate_on_submit() or answer not in {"yes", "no"}:
        abort(400)
    now = utcnow()
    answered = went_cookie()
    target = url_for("search.meeting", slug=slug) + "#was-it-on"
    if freshness.answered_recently(answered, meeting.id, now):
        flash(_("You already answered for this meeting this week. Thank you."), "info")
        return redirect(target)
    freshness.report(get_session(), meeting, answer == "yes")
    flash(_("Thank you for telling us."), "success")
    week = now.timestamp() - freshness.ONE_WEEK.total_seconds()
    kept = {k: v for k, v in answered.items() if v > week}
    kept[str(meeting.id)] = now.timestamp()
    response: Response = redirect(target)  # type: ignore[assignment]
    response.set_cookie(
        WENT_COOKIE,
        json.dumps(dict(list(kept.items())[-50:]), separators=(",", ":")),
        max_age=int(freshness.ONE_WEEK.total_seconds()),
        httponly=True,
        samesite="Lax",
    )
    return response
