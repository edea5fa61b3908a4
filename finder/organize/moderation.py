"""Moderation: a new group's meetings wait for an admin; admins approve, reject, unpublish.

A local meeting is `published` (and so in search, the API, the feed and on its page)
exactly when its group is approved and no admin has unpublished it. Writes go
through the ORM, so finder.spatial.changes bumps the search version with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.accounts.models import User
from finder.models import Group, Meeting, Source, utcnow
from finder.organize import audit
from finder.organize.models import APPROVED, PENDING, REJECTED, GroupReview, MeetingUpkeep
from finder.organize.roles import is_admin, organized_group_ids


def review_of(session: Session, group_id: int | None) -> GroupReview | None:
    return None if group_id is None else session.get(GroupReview, group_id)


def upkeep_of(session: Session, meeting: Meeting) -> MeetingUpkeep:
    """The meeting's upkeep row, created on first use."""
    row = session.get(MeetingUpkeep, meeting.id)
    if row is None:
        row = MeetingUpkeep(
            meeting_id=meeting.id, unpublished=False, unpublished_reason="", stopped=False
        )
        session.add(row)
        session.flush()
    return row


def should_publish(review: GroupReview | None, upkeep: MeetingUpkeep) -> bool:
    return (
        review is not None
        and review.state == APPROVED
        and not upkeep.unpublished
        and not upkeep.stopped
    )


def group_meetings(session: Session, group_id: int) -> list[Meeting]:
    stmt = (
        select(Meeting)
        .join(Source, Meeting.source_id == Source.id)
        .where(Meeting.group_id == group_id, Source.kind == "local")
        .options(joinedload(Meeting.location), joinedload(Meeting.fellowship))
        .order_by(Meeting.day, Meeting.time, Meeting.id)
    )
    return list(session.scalars(stmt).unique())


def sync_published(session: Session, meeting: Meeting) -> None:
    meeting.published = should_publish(
        review_of(session, meeting.group_id), upkeep_of(session, meeting)
    )


def _decide(session: Session, admin: User, group: Group, state: str, reason: str) -> None:
    review = review_of(session, group.id)
    if review is None:
        review = GroupReview(group_id=group.id)
        session.add(review)
    review.state, review.reason, review.reviewed_at = state, reason, utcnow()
    session.flush()
    for meeting in group_meetings(session, group.id):
        sync_published(session, meeting)
    action = "approve" if state == APPROVED else "reject"
    audit.record(session, admin, action, group_id=group.id, subject=group.name, reason=reason)
    session.commit()


def approve(session: Session, admin: User, group: Group) -> None:
    _decide(session, admin, group, APPROVED, "")


def reject(session: Session, admin: User, group: Group, reason: str) -> None:
    _decide(session, admin, group, REJECTED, reason)


def set_unpublished(
    session: Session, admin: User, meeting: Meeting, hidden: bool, reason: str = ""
) -> None:
    """An admin takes a live meeting down (or puts it back)."""
    upkeep = upkeep_of(session, meeting)
    upkeep.unpublished, upkeep.unpublished_reason = hidden, reason if hidden else ""
    sync_published(session, meeting)
    action = "unpublish" if hidden else "republish"
    audit.record(session, admin, action, group_id=meeting.group_id, meeting=meeting, reason=reason)
    session.commit()


@dataclass
class PendingGroup:
    review: GroupReview
    meetings: list[Meeting]


def pending_groups(session: Session) -> list[PendingGroup]:
    """Groups waiting for an admin, oldest first, with what their meetings say."""
    stmt = (
        select(GroupReview)
        .where(GroupReview.state == PENDING)
        .options(joinedload(GroupReview.group))
        .order_by(GroupReview.created_at, GroupReview.group_id)
    )
    return [PendingGroup(r, group_meetings(session, r.group_id)) for r in session.scalars(stmt)]


def meeting_state(review: GroupReview | None, upkeep: MeetingUpkeep | None, m: Meeting) -> str:
    """stopped (its group says so), pending, rejected, unpublished, closed (temporarily) or
    live."""
    if upkeep is not None and upkeep.stopped:
        return "stopped"
    if review is None or review.state == PENDING:
        return "pending"
    if review.state == REJECTED:
        return "rejected"
    if upkeep is not None and upkeep.unpublished:
        return "unpublished"
    if m.temporarily_closed:
        return "closed"
    return "live"


def preview(session: Session, slug: str, user: User | None) -> Meeting | None:
    """An unpublished local meeting, for its organizers and admins only."""
    if user is None:
        return None
    stmt = (
        select(Meeting)
        .join(Source, Meeting.source_id == Source.id)
        .where(Meeting.slug == slug, Meeting.published.is_(False), Source.kind == "local")
        .options(joinedload(Meeting.location), joinedload(Meeting.fellowship))
    )
    meeting = session.scalars(stmt).first()
    if meeting is None:
        return None
    if is_admin(user) or meeting.group_id in organized_group_ids(session, user):
        return meeting
    return None


def days_since(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if moment is None else max(0, (now - moment).days)
