"""An account's favorites as a private calendar subscription, behind a long random token."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.accounts.models_log import CalendarFeed

TOKEN_BYTES = 32  # 43 URL-safe characters


def current_token(session: Session, user_id: int) -> str | None:
    return session.scalar(select(CalendarFeed.token).where(CalendarFeed.user_id == user_id))


def new_token(session: Session, user: User) -> str:
    """Make the subscription token, or replace it: the old URL then answers 404."""
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if feed is None:
        session.add(CalendarFeed(user_id=user.id, token=token))
    else:
        feed.token = token
    session.commit()
    return token


def owner_of(session: Session, token: str) -> User | None:
    if len(token) < TOKEN_BYTES or len(token) > 64:
        return None
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    return session.get(User, feed.user_id) if feed is not None else None


def remove(session: Session, user_id: int) -> None:
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))
