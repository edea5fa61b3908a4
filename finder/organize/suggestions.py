"""Visitors' suggestions: to the group's organizers, or to admins for imported meetings."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from finder.accounts.models import User
from finder.models import Meeting, Source, utcnow
from finder.organize import audit
from finder.organize.models import Suggestion
from finder.organize.roles import is_admin, organized_group_ids

KINDS = ("time", "place", "online", "closed", "other")
OPEN, ACCEPTED, DISMISSED = "open", "accepted", "dismissed"


def suggest(session: Session, meeting: Meeting, kind: str, message: str) -> Suggestion:
    suggestion = Suggestion(meeting_id=meeting.id, kind=kind, message=message.strip())
    session.add(suggestion)
    session.commit()
    return suggestion


def _visible(user: User, session: Session) -> Select[Suggestion]:
    """Organizers: their local groups' suggestions. Admins: imported meetings' ones too."""
    stmt = (
        select(Suggestion)
        .join(Meeting, Suggestion.meeting_id == Meeting.id)
        .outerjoin(Source, Meeting.source_id == Source.id)
        .options(joinedload(Suggestion.meeting).joinedload(Meeting.source))
    )
    if is_admin(user):
        return stmt
    groups = sorted(organized_group_ids(session, user))
    return stmt.where(Source.kind == "local", Meeting.group_id.in_(groups))


def waiting(session: Session, user: User) -> list[Suggestion]:
    stmt = _visible(user, session).where(Suggestion.state == OPEN)
    return list(session.scalars(stmt.order_by(Suggestion.created_at, Suggestion.id)).unique())


def visible_one(session: Session, user: User, suggestion_id: int) -> Suggestion | None:
    stmt = _visible(user, session).where(Suggestion.id == suggestion_id)
    return session.scalars(stmt).unique().first()


def close(session: Session, user: User, suggestion: Suggestion, state: str) -> None:
    """Accept (the organizer will edit) or dismiss; neither changes the meeting."""
    suggestion.state, suggestion.handled_at = state, utcnow()
    meeting = suggestion.meeting
    action = "accept suggestion" if state == ACCEPTED else "dismiss suggestion"
    audit.record(
        session,
        user,
        action,
        group_id=meeting.group_id,
        meeting=meeting,
        changes={"suggestion": [suggestion.kind, suggestion.message[:200]]},
    )
    session.commit()
