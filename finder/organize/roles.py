"""Who may act on what: admins on everything, organizers on the groups they organize."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.models import Group, Meeting, Source
from finder.organize.models import Organizer

LOCAL_SOURCE_NAME = "finder organizers"


def is_admin(user: User | None) -> bool:
    return bool(user is not None and user.is_admin)


def organized_group_ids(session: Session, user: User | None) -> set[int]:
    """The groups this account organizes."""
    if user is None:
        return set()
    stmt = select(Organizer.group_id).where(Organizer.user_id == user.id)
    return set(session.scalars(stmt))


def groups_left_without_organizers(session: Session, user: User) -> list[Group]:
    """The groups this account organizes alone: they would have no organizer without it."""
    mine = organized_group_ids(session, user)
    if not mine:
        return []
    counted = (
        select(Organizer.group_id)
        .where(Organizer.group_id.in_(mine))
        .group_by(Organizer.group_id)
        .having(func.count() == 1)
    )
    return list(session.scalars(select(Group).where(Group.id.in_(counted)).order_by(Group.name)))


def may_manage_group(session: Session, user: User | None, group_id: int | None) -> bool:
    if user is None or group_id is None:
        return False
    return is_admin(user) or group_id in organized_group_ids(session, user)


def is_local(meeting: Meeting) -> bool:
    """Posted in finder by organizers (not imported from a feed, not demo data)."""
    return meeting.source is not None and meeting.source.kind == "local"


def may_edit(session: Session, user: User | None, meeting: Meeting) -> bool:
    return is_local(meeting) and may_manage_group(session, user, meeting.group_id)


def local_source(session: Session) -> Source:
    """The one Source of kind "local" that organizers' meetings belong to."""
    source = session.scalar(select(Source).where(Source.kind == "local"))
    if source is None:
        source = Source(name=LOCAL_SOURCE_NAME, kind="local")
        session.add(source)
        session.flush()
    return source
