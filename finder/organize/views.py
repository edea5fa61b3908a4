"""Organizer pages: the dashboard, post and edit a meeting, confirm it, team, audit."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from finder.db import get_session
from finder.i18n import and_list, day_name, in_sentence, ngettext
from finder.i18n import gettext as _
from finder.models import Group, Meeting, utcnow
from finder.organize import audit, bp, team
from finder.organize.access import account, editable_meeting
from finder.organize.dashboard import group_rows, invitations_for
from finder.organize.forms import ActionForm, InviteForm, MeetingForm, parse_time
from finder.organize.meetings import (
    Draft,
    GroupMove,
    Place,
    confirm,
    create_meetings,
    other_days,
    set_stopped,
    unlisting_move,
    update_meeting,
)
from finder.organize.models import Invitation, MeetingUpkeep, Organizer
from finder.organize.placing import resolve
from finder.organize.roles import is_admin, may_manage_group, organized_group_ids
from finder.organize.suggestions import waiting


@bp.get("/organize")
@login_required
def dashboard() -> ResponseReturnValue:
    return _dashboard(InviteForm())


def _dashboard(invite: InviteForm, inviting: int | None = None) -> str:
    """The organizer's page; `inviting` names the group whose invite form stays open."""
    session, user = get_session(), account()
    return render_template(
        "organize/dashboard.html",
        groups=group_rows(session, user, utcnow()),
        invitations=invitations_for(session, user),
        suggestions=len(waiting(session, user)),
        admin=is_admin(user),
        action=ActionForm(),
        invite=invite,
        inviting=inviting,
    )


def _draft(form: MeetingForm, place: Any) -> Draft:
    start = parse_time(form.time.data or "")
    assert start is not None  # validated
    return Draft(
        name=form.name.data or "",
        group=form.group.data or "",
        fellowship=form.fellowship.data or "other",
        days=[int(d) for d in form.day.data or []],
        time=start,
        end_time=parse_time(form.end_time.data or ""),
        types=list(form.types.data or []),
        place=place,
        conference_url=(form.conference_url.data or "").strip(),
        conference_url_notes=(form.conference_url_notes.data or "").strip(),
        conference_phone=(form.conference_phone.data or "").strip(),
        conference_phone_notes=(form.conference_phone_notes.data or "").strip(),
        notes=(form.notes.data or "").strip(),
        temporarily_closed=bool(form.temporarily_closed.data),
    )


def _my_groups() -> list[str]:
    session, user = get_session(), account()
    ids = organized_group_ids(session, user)
    return sorted(g.name for g in (session.get(Group, i) for i in ids) if g is not None)


def _render(
    form: MeetingForm, meeting: Meeting | None, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    others = other_days(get_session(), meeting) if meeting is not None else []
    if others:
        days = and_list([in_sentence(day_name(m.day)) for m in others])
        form.same_change.label.text = _(
            "Make the same change on its other days: %(days)s", days=days
        )
    html = render_template(
        "organize/meeting_form.html",
        form=form,
        meeting=meeting,
        my_groups=_my_groups(),
        other_days=others,
        **extra,
    )
    return html, status


def _submit(form: MeetingForm, meeting: Meeting | None) -> ResponseReturnValue:
    """Check, look the place up and warn of a move off the listings (showing these back
    first), then save."""
    if not form.validate_on_submit():
        return _render(
            form, meeting, 400, point_open=bool(form.latitude.errors or form.longitude.errors)
        )
    session, user = get_session(), account()
    lookup = resolve(session, current_app.extensions.get("finder.geocoder"), form)
    if lookup.place is None:
        form.address.errors = [lookup.error]
        return _render(form, meeting, 400, point_open=True)
    move = _move_to_confirm(form, meeting)
    if lookup.preview or move is not None:
        return _show_first(form, meeting, lookup.place if lookup.preview else None, move)
    draft = _draft(form, lookup.place)
    if meeting is None:
        saved = create_meetings(session, user, draft)
        flash(ngettext("Saved %(num)d meeting.", "Saved %(num)d meetings.", len(saved)), "success")
    else:
        saved = update_meeting(session, user, meeting, draft, bool(form.same_change.data))
        flash(
            ngettext("Saved your changes.", "Saved your changes to %(num)d meetings.", len(saved)),
            "success",
        )
    if not saved[0].published:
        flash(
            ngettext(
                "It is waiting for an admin to approve the group; only you and admins see it.",
                "They are waiting for an admin to approve the group; only you and admins see them.",
                len(saved),
            ),
            "info",
        )
    return redirect(url_for("organize.dashboard"))


def _move_to_confirm(form: MeetingForm, meeting: Meeting | None) -> GroupMove | None:
    """A move of a listed meeting to a group not yet approved, unless the organizer was
    already warned of this very group name (then this tap saves it)."""
    group = (form.group.data or "").strip()
    if meeting is None or group == (form.confirmed_group.data or "").strip():
        return None
    return unlisting_move(get_session(), account(), meeting, group)


def _show_first(
    form: MeetingForm, meeting: Meeting | None, found: Place | None, move: GroupMove | None
) -> ResponseReturnValue:
    """The place found and the move off the listings, saved by tapping "Save meeting" again."""
    if found is not None:
        form.latitude.data, form.longitude.data = f"{found.latitude:.6f}", f"{found.longitude:.6f}"
        form.checked_address.data = found.address
    if move is not None:
        form.confirmed_group.data = (form.group.data or "").strip()
    return _render(form, meeting, found=found, move=move, point_open=found is not None)


@bp.route("/organize/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting() -> ResponseReturnValue:
    return _submit(MeetingForm(), None) if _posted() else _render(MeetingForm(), None)


def _posted() -> bool:
    return request.method == "POST"


def _form_for(meeting: Meeting) -> MeetingForm:
    loc = meeting.location
    data = {
        "name": meeting.name,
        "group": meeting.group.name if meeting.group else "",
        "fellowship": meeting.fellowship.code,
        "day": [str(meeting.day)] if meeting.day is not None else [],
        "time": meeting.time.strftime("%H:%M") if meeting.time else "",
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "types": list(meeting.types or []),
        "location": loc.name,
        "address": loc.address,
        "latitude": f"{loc.latitude:.6f}",
        "longitude": f"{loc.longitude:.6f}",
        "checked_address": loc.address,
        "conference_url": meeting.conference_url,
        "conference_url_notes": meeting.conference_url_notes,
        "conference_phone": meeting.conference_phone,
        "conference_phone_notes": meeting.conference_phone_notes,
        "notes": meeting.notes,
        "temporarily_closed": meeting.temporarily_closed,
    }
    return MeetingForm(data=data)


@bp.route("/organize/meetings/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(slug: str) -> ResponseReturnValue:
    meeting = editable_meeting(get_session(), account(), slug)
    if _posted():
        return _submit(MeetingForm(), meeting)
    return _render(_form_for(meeting), meeting)


@bp.post("/organize/meetings/<slug>/confirm")
@login_required
def confirm_meeting(slug: str) -> ResponseReturnValue:
    session = get_session()
    meeting = editable_meeting(session, account(), slug)
    if ActionForm().validate_on_submit():
        confirm(session, account(), meeting)
        flash(_("Thank you: “%(name)s” is confirmed as listed.", name=meeting.name), "success")
    return redirect(url_for("organize.dashboard"))


@bp.post("/organize/meetings/<slug>/stop")
@login_required
def stop_meeting(slug: str) -> ResponseReturnValue:
    """The meeting no longer meets: off the listings (reversible), said on its page."""
    session = get_session()
    meeting = editable_meeting(session, account(), slug)
    if ActionForm().validate_on_submit():
        set_stopped(session, account(), meeting, True)
        flash(
            _(
                "“%(name)s” is off the listings. Its page now tells visitors it no longer "
                "meets and shows meetings nearby at the same time.",
                name=meeting.name,
            ),
            "success",
        )
    return redirect(url_for("organize.dashboard"))


@bp.post("/organize/meetings/<slug>/restart")
@login_required
def restart_meeting(slug: str) -> ResponseReturnValue:
    session = get_session()
    meeting = editable_meeting(session, account(), slug)
    if ActionForm().validate_on_submit():
        set_stopped(session, account(), meeting, False)
        upkeep = session.get(MeetingUpkeep, meeting.id)
        if meeting.published:
            message = _("“%(name)s” is listed again.", name=meeting.name)
        elif upkeep is not None and upkeep.unpublished:
            message = _("“%(name)s” meets again, but an admin unpublished it: it stays off "
                        "the listings.", name=meeting.name)  # fmt: skip
        else:
            message = _("“%(name)s” meets again; it is listed once its group is approved.",
                        name=meeting.name)  # fmt: skip
        flash(message, "success")
    return redirect(url_for("organize.dashboard"))


@bp.post("/organize/groups/<int:group_id>/invite")
@login_required
def invite(group_id: int) -> ResponseReturnValue:
    session, user = get_session(), account()
    group = session.get(Group, group_id)
    if group is None or not may_manage_group(session, user, group_id):
        abort(403)
    form = InviteForm()
    if form.validate_on_submit():
        problem = team.invite(session, user, group, form.username.data or "")
        if problem:  # shown again with the name as typed, to correct it
            flash(problem, "error")
            form.username.errors = [problem]
            return _dashboard(form, group_id), 400
        flash(_("Invitation sent: they will see it on their Organize page."), "success")
    return redirect(url_for("organize.dashboard"))


def _own_invitation(invitation_id: int) -> Invitation:
    """An invitation to this account (another's is not found: 404)."""
    invitation = get_session().get(Invitation, invitation_id)
    if invitation is None or invitation.user_id != account().id:
        abort(404)
    return invitation


@bp.post("/organize/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id: int) -> ResponseReturnValue:
    invitation = _own_invitation(invitation_id)
    if ActionForm().validate_on_submit():
        team.accept(get_session(), account(), invitation)
        flash(_("You now organize this group."), "success")
    return redirect(url_for("organize.dashboard"))


def _invitation_to_manage(invitation_id: int) -> Invitation:
    """An invitation of a group the account organizes (or any, for an admin)."""
    session, user = get_session(), account()
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    if not may_manage_group(session, user, invitation.group_id):
        abort(403)
    return invitation


@bp.post("/organize/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(invitation_id: int) -> ResponseReturnValue:
    invitation = _invitation_to_manage(invitation_id)
    if ActionForm().validate_on_submit():
        name = invitation.user.username
        team.withdraw(get_session(), account(), invitation)
        flash(_("Invitation to %(name)s withdrawn.", name=name), "success")
    return redirect(url_for("organize.dashboard"))


@bp.post("/organize/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id: int) -> ResponseReturnValue:
    invitation = _own_invitation(invitation_id)
    if ActionForm().validate_on_submit():
        team.decline(get_session(), account(), invitation)
        flash(_("Invitation declined."), "success")
    return redirect(url_for("organize.dashboard"))


@bp.post("/organize/groups/<int:group_id>/organizers/<int:organizer_id>/remove")
@login_required
def remove_organizer(group_id: int, organizer_id: int) -> ResponseReturnValue:
    session, user = get_session(), account()
    organizer = session.get(Organizer, organizer_id)
    if organizer is None or organizer.group_id != group_id:
        abort(404)
    if not may_manage_group(session, user, group_id):
        abort(403)
    if ActionForm().validate_on_submit():
        leaving, name = organizer.user_id == user.id, organizer.user.username
        problem = team.remove(session, user, organizer)
        if problem:
            flash(problem, "error")
        elif leaving:
            flash(_("You no longer organize this group."), "success")
        else:
            flash(_("%(name)s no longer organizes this group.", name=name), "success")
    return redirect(url_for("organize.dashboard"))


@bp.get("/organize/audit")
@login_required
def my_audit() -> ResponseReturnValue:
    session, user = get_session(), account()
    ids = None if is_admin(user) else organized_group_ids(session, user)
    return render_template(
        "organize/audit.html", entries=audit.entries(session, ids), label=audit.actor_label
    )


@bp.get("/organize/groups/<int:group_id>/audit")
@login_required
def group_audit(group_id: int) -> ResponseReturnValue:
    session, user = get_session(), account()
    if not may_manage_group(session, user, group_id):
        abort(403)
    return render_template(
        "organize/audit.html", entries=audit.entries(session, {group_id}), label=audit.actor_label
    )
