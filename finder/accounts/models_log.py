"""What an account keeps for sharing: a private favorites calendar and a meeting log.

Both hang off `account.id` with ON DELETE CASCADE, like the rest of an account's records.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finder.models import Base, utcnow


class CalendarFeed(Base):
    """The secret token in an account's favorites calendar URL; a new token retires the old URL."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Attendance(Base):
    """ "I went": one meeting on one day (the person's own calendar day), private to them."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("user_id", "meeting_slug", "day", name="uq_attendance_user_meeting_day"),
        Index("ix_attendance_user_day", "user_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    meeting_slug: Mapped[str] = mapped_column(String(100))
    # The name then, so the log still reads right if the meeting is renamed or removed.
    meeting_name: Mapped[str] = mapped_column(String(255))
    day: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
