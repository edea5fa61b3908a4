"""Several organizers per group: one invites another account by username, who accepts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.accounts.store import find_user
from finder.i18n import gettext as _
from finder.models import Group
from finder.organize import audit
from finder.organize.models import Invitation, Organizer


def invite(session: Session, inviter: User, group: Group, username: str) -> str | None:
    """Invite an account; returns what went wrong, or None."""
    invitee = find_user(session, username)
    if invitee is None:
        return str(_("There is no account with that username."))
    already = session.scalar(
        select(Organizer.id).where(Organizer.group_id == group.id, Organizer.user_id == invitee.id)
    )
    if already is not None:
        return str(_("They already organize this group."))
    exists = session.scalar(
        select(Invitation.id).where(
            Invitation.group_id == group.id, Invitation.user_id == invitee.id
        )
    )
    if exists is None:
        session.add(Invitation(group_id=group.id, user_id=invitee.id))
        audit.record(
            session, inviter, "invite", group_id=group.id, subject=group.name,
            changes={"organizer": [None, invitee.username]},
        )  # fmt: skip
        session.commit()
    return None


def accept(session: Session, user: User, invitation: Invitation) -> None:
    session.add(Organizer(group_id=invitation.group_id, user_id=user.id))
    audit.record(session, user, "join", group_id=invitation.group_id, subject=invitation.group.name)
    session.delete(invitation)
    session.commit()
