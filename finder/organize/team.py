"""Several organizers per group: one invites another account by username, who accepts or
declines. An organizer may withdraw an invitation, remove another organizer or leave; a group
always keeps one organizer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

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
        session.add(Invitation(group_id=group.id, user_id=invitee.id, invited_by_id=inviter.id))
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


def members(session: Session, group_id: int) -> tuple[list[Organizer], list[Invitation]]:
    """The group's organizers (oldest first) and its invitations not yet answered."""
    organizers = session.scalars(
        select(Organizer)
        .where(Organizer.group_id == group_id)
        .options(joinedload(Organizer.user))
        .order_by(Organizer.id)
    )
    invitations = session.scalars(
        select(Invitation)
        .where(Invitation.group_id == group_id)
        .options(joinedload(Invitation.user))
        .order_by(Invitation.id)
    )
    return list(organizers), list(invitations)


def withdraw(session: Session, actor: User, invitation: Invitation) -> None:
    """An organizer takes an invitation back before it is answered."""
    audit.record(
        session, actor, "withdraw invitation", group_id=invitation.group_id,
        subject=invitation.group.name, changes={"organizer": [invitation.user.username, None]},
    )  # fmt: skip
    session.delete(invitation)
    session.commit()


def decline(session: Session, user: User, invitation: Invitation) -> None:
    """The invited account says no."""
    group = invitation.group
    audit.record(session, user, "decline", group_id=group.id, subject=group.name)
    session.delete(invitation)
    session.commit()


def remove(session: Session, actor: User, organizer: Organizer) -> str | None:
    """Remove an organizer (the actor themself: leaving); returns what went wrong, or None."""
    # Two organizers removing each other at once must not leave the group with none: the
    # group's row is locked while its organizers are counted (PostgreSQL; SQLite writes one
    # transaction at a time).
    session.scalar(select(Group.id).where(Group.id == organizer.group_id).with_for_update())
    others = session.scalar(
        select(Organizer.id).where(
            Organizer.group_id == organizer.group_id, Organizer.id != organizer.id
        )
    )
    if others is None:
        return str(_("A group needs at least one organizer: invite someone else first."))
    leaving = organizer.user_id == actor.id
    audit.record(
        session, actor, "leave" if leaving else "remove organizer", group_id=organizer.group_id,
        subject=organizer.group.name, changes={"organizer": [organizer.user.username, None]},
    )  # fmt: skip
    session.delete(organizer)
    session.commit()
    return None
