"""Lists of meetings a sponsor makes for someone: a title and meetings, nothing personal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finder.models import Base, utcnow


class MeetingList(Base):
    """A shared list, found by its unguessable code; edited by its maker only."""

    __tablename__ = "meeting_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    # The maker's account, or else the SHA-256 of the secret edit key shown to them once.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    edit_key_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list[MeetingListItem]] = relationship(
        back_populates="meeting_list",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeetingListItem.position",
    )


class MeetingListItem(Base):
    """A meeting on a list, by slug, with what it looked like when it was added."""

    __tablename__ = "meeting_list_item"
    __table_args__ = (Index("ix_meeting_list_item_list", "list_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("meeting_list.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    meeting_slug: Mapped[str] = mapped_column(String(100))
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)

    meeting_list: Mapped[MeetingList] = relationship(back_populates="items")
