"""Accounts and what belongs to them: favorites, sobriety dates and their private history.

Everything a person owns hangs off `account.id` with ON DELETE CASCADE, so
deleting the account deletes it all in one statement.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finder.models import SLUG_LENGTH, Base, utcnow

DEFAULT_TIMEZONE = "UTC"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(Base):
    """A person with an account: a chosen username, no email, no real name."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    # Lower-cased username: "Sam" and "sam" are the same account.
    username_key: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of every session and remember-me cookie; a new one ends all other sessions.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    # False until the person picks a zone: registration asks, but older accounts never did.
    timezone_chosen: Mapped[bool] = mapped_column(default=False)
    # Admins moderate organizers' groups; made only by `flask --app wsgi create-admin`.
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    favorites: Mapped[list[Favorite]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    sobriety_dates: Mapped[list[SobrietyDate]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SobrietyDate.id",
    )

    # Flask-Login's user protocol, written out so the model needs no Flask import.
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """The id Flask-Login keeps in cookies: account id and current session token."""
        return f"{self.id}:{self.session_token}"


class Favorite(Base):
    """A starred meeting, by slug, with what the meeting looked like when it was saved."""

    __tablename__ = "favorite"
    __table_args__ = (UniqueConstraint("user_id", "meeting_slug", name="uq_favorite_user_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    # By slug, not id: a meeting that disappears still shows as "no longer listed".
    meeting_slug: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="favorites")


class SobrietyDate(Base):
    """A clean/sober date with the person's own label ("Alcohol", "Opioids")."""

    __tablename__ = "sobriety_date"
    __table_args__ = (Index("ix_sobriety_date_user", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(60))
    date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="sobriety_dates")
    history: Mapped[list[SobrietyHistory]] = relationship(
        back_populates="sobriety_date",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SobrietyHistory.id",
    )


class SobrietyHistory(Base):
    """An earlier date the person chose to keep, privately, when they changed it."""

    __tablename__ = "sobriety_history"
    __table_args__ = (Index("ix_sobriety_history_date", "sobriety_date_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    sobriety_date_id: Mapped[int] = mapped_column(
        ForeignKey("sobriety_date.id", ondelete="CASCADE")
    )
    date: Mapped[dt.date] = mapped_column(Date)
    # The day it was replaced, so the record reads "Mar 3, 2024 until Jan 5, 2025".
    replaced_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    sobriety_date: Mapped[SobrietyDate] = relationship(back_populates="history")
