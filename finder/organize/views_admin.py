"""Admin pages: review pending groups (approve, reject), unpublish, flags, the whole audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from finder.db import get_session
from finder.i18n import gettext as _
from finder.models import Group, utcnow
from finder.organize import audit, bp, moderation
from finder.organize.access import account, admin_required, meeting_by_slug
from finder.organize.forms import ActionForm, ReasonForm
from finder.organize.freshness import flagged_meetings
from finder.organize.roles import is_local

# The audit pages (admins' and organizers') show recorded changes in words.
bp.add_app_template_global(audit.shown_changes, "shown_changes")
bp.add_app_template_global(audit.shown_at, "shown_at")


@bp.get("/admin/review")
@admin_required
def review() -> ResponseReturnValue:
    session = get_session()
    return render_template(
        "organize/review.html",
        pending=moderation.pending_groups(session),
        flagged=flagged_meetings(session, utcnow()),
        approve_form=ActionForm(),
        reject_form=ReasonForm(),
    )


def _pending_group(group_id: int) -> Group:
    group = get_session().get(Group, group_id)
    if group is None or moderation.review_of(get_session(), group_id) is None:
        abort(404)
    return group


@bp.post("/admin/review/<int:group_id>/approve")
@admin_required
def approve(group_id: int) -> ResponseReturnValue:
    group = _pending_group(group_id)
    if ActionForm().validate_on_submit():
        moderation.approve(get_session(), account(), group)
        flash(_("Approved “%(name)s”: its meetings are live.", name=group.name), "success")
    return redirect(url_for("organize.review"))


@bp.post("/admin/review/<int:group_id>/reject")
@admin_required
def reject(group_id: int) -> ResponseReturnValue:
    group = _pending_group(group_id)
    form = ReasonForm()
    if form.validate_on_submit():
        reason = (form.reason.data or "").strip()
        moderation.reject(get_session(), account(), group, reason)
        flash(_("Rejected “%(name)s”; its organizers see your reason.", name=group.name), "success")
    else:
        _flash_errors(form)
    return redirect(url_for("organize.review"))


def _flash_errors(form: ReasonForm) -> None:
    """Say why nothing happened: the page the form was on is shown again, without it."""
    for error in form.reason.errors:
        flash(_("Nothing was changed: %(problem)s", problem=error), "error")


@bp.post("/admin/meetings/<slug>/unpublish")
@admin_required
def unpublish(slug: str) -> ResponseReturnValue:
    session = get_session()
    meeting = meeting_by_slug(session, slug)
    if meeting is None or not is_local(meeting):
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        moderation.set_unpublished(session, account(), meeting, True, form.reason.data or "")
        flash(_("Unpublished: only its organizers and admins see it now."), "success")
    else:
        _flash_errors(form)
    return redirect(url_for("search.meeting", slug=slug))


@bp.post("/admin/meetings/<slug>/republish")
@admin_required
def republish(slug: str) -> ResponseReturnValue:
    session = get_session()
    meeting = meeting_by_slug(session, slug)
    if meeting is None or not is_local(meeting):
        abort(404)
    if ActionForm().validate_on_submit():
        moderation.set_unpublished(session, account(), meeting, False)
        flash(_("Published again."), "success")
    return redirect(url_for("search.meeting", slug=slug))


@bp.get("/admin/audit")
@admin_required
def audit_log() -> ResponseReturnValue:
    entries = audit.entries(get_session(), None, limit=500)
    return render_template("organize/audit.html", entries=entries, label=audit.actor_label)
