"""What /organize shows: the account's groups and meetings, each with where it stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.accounts.models import User
from finder.models import Meeting
from finder.organize.freshness import Freshness, freshness
from finder.organize.models import GroupReview, Invitation, MeetingUpkeep, Organizer
from finder.organize.moderation import group_meetings, meeting_state
from finder.organize.roles import is_admin, organized_group_ids
from finder.organize.team import members


@dataclass
class MeetingRow:
    meeting: Meeting
    state: str
    fresh: Freshness
    unpublished_reason: str = ""


@dataclass
class GroupRow:
    review: GroupReview
    meetings: list[MeetingRow] = field(default_factory=list)
    organizers: list[Organizer] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)


def group_rows(session: Session, user: User, now: dt.datetime) -> list[GroupRow]:
    stmt = select(GroupReview).options(joinedload(GroupReview.group))
    if not is_admin(user):
        stmt = stmt.where(GroupReview.group_id.in_(sorted(organized_group_ids(session, user))))
    rows = []
    for review in session.scalars(stmt.order_by(GroupReview.group_id)):
        row = GroupRow(review)
        row.organizers, row.invitations = members(session, review.group_id)
        for meeting in group_meetings(session, review.group_id):
            upkeep = session.get(MeetingUpkeep, meeting.id)
            row.meetings.append(
                MeetingRow(
                    meeting,
                    meeting_state(review, upkeep, meeting),
                    freshness(session, meeting, now),
                    upkeep.unpublished_reason if upkeep else "",
                )
            )
        rows.append(row)
    return rows


def invitations_for(session: Session, user: User) -> list[Invitation]:
    stmt = (
        select(Invitation)
        .where(Invitation.user_id == user.id)
        .options(joinedload(Invitation.group), joinedload(Invitation.invited_by))
        .order_by(Invitation.id)
    )
    return list(session.scalars(stmt))
