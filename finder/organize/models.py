"""Organizers, moderation, suggestions, freshness and the audit log of local meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finder.accounts.models import User
from finder.models import Base, Group, Meeting, utcnow

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


class GroupReview(Base):
    """A group run by organizers in finder, and where it stands with the admins."""

    __tablename__ = "group_review"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_group.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(12), default=PENDING)  # pending|approved|rejected
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was rejected
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    group: Mapped[Group] = relationship()


class Organizer(Base):
    """An account that may act on a group's meetings."""

    __tablename__ = "group_organizer"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id", name="uq_group_organizer"),
        Index("ix_group_organizer_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("meeting_group.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship()


class Invitation(Base):
    """An organizer asked another account to help run a group; it becomes one on accepting."""

    __tablename__ = "organizer_invitation"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id", name="uq_organizer_invitation"),
        Index("ix_organizer_invitation_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("meeting_group.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    # Who sent it, named to the invited account (None: sent before this was kept, or the
    # sender's account is deleted).
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL", name="fk_organizer_invitation_invited_by")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


class MeetingUpkeep(Base):
    """Per local meeting: when its group last said it is right, whether an admin hid it, and
    whether its group says it has stopped meeting (off the listings until it meets again)."""

    __tablename__ = "meeting_upkeep"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    unpublished: Mapped[bool] = mapped_column(Boolean, default=False)
    unpublished_reason: Mapped[str] = mapped_column(Text, default="")
    stopped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    meeting: Mapped[Meeting] = relationship()


class Suggestion(Base):
    """A visitor's note that something about a meeting is wrong."""

    __tablename__ = "suggestion"
    __table_args__ = (Index("ix_suggestion_meeting", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # time | place | online | closed | other
    message: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="open")  # open|accepted|dismissed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    meeting: Mapped[Meeting] = relationship()


class AttendanceReport(Base):
    """An anonymous answer to "Was this meeting on when you went?"."""

    __tablename__ = "attendance_report"
    __table_args__ = (Index("ix_attendance_report_meeting", "meeting_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    was_on: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """Who did what to a local meeting or group, and which fields changed from what to what.

    No foreign key to the meeting or group: the record outlives them. The actor's
    goes to NULL when the account is deleted ("a deleted account").
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_group", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int | None] = mapped_column(Integer)
    meeting_id: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(255), default="")  # the name at the time
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)  # field: [before, after]
    reason: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()
