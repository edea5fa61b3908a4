"""/organize/suggestions: what visitors said is wrong; accept (then edit) or dismiss."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from finder.db import get_session
from finder.i18n import gettext as _
from finder.organize import bp
from finder.organize.access import account
from finder.organize.forms import ActionForm, SuggestForm
from finder.organize.roles import is_admin
from finder.organize.suggestions import ACCEPTED, DISMISSED, close, visible_one, waiting
from finder.search.present import safe_web_url


@bp.get("/organize/suggestions")
@login_required
def suggestions_page() -> ResponseReturnValue:
    session, user = get_session(), account()
    return render_template(
        "organize/suggestions.html",
        suggestions=waiting(session, user),
        admin=is_admin(user),
        action=ActionForm(),
        safe_url=safe_web_url,
        kinds={c.value: c.label for c in SuggestForm().kind.choices},
    )


def _handle(suggestion_id: int, state: str) -> ResponseReturnValue:
    session, user = get_session(), account()
    suggestion = visible_one(session, user, suggestion_id)
    if suggestion is None:
        abort(404)
    if ActionForm().validate_on_submit():
        close(session, user, suggestion, state)
        if state == ACCEPTED:
            flash(_("Accepted. Now change the meeting to match."), "success")
            if suggestion.meeting.source and suggestion.meeting.source.kind == "local":
                return redirect(url_for("organize.edit_meeting", slug=suggestion.meeting.slug))
        else:
            flash(_("Dismissed."), "success")
    return redirect(url_for("organize.suggestions_page"))


@bp.post("/organize/suggestions/<int:suggestion_id>/accept")
@login_required
def accept_suggestion(suggestion_id: int) -> ResponseReturnValue:
    return _handle(suggestion_id, ACCEPTED)


@bp.post("/organize/suggestions/<int:suggestion_id>/dismiss")
@login_required
def dismiss_suggestion(suggestion_id: int) -> ResponseReturnValue:
    return _handle(suggestion_id, DISMISSED)
