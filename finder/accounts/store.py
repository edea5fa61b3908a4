"""Account records: create, authenticate, change password, export and delete."""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finder.accounts import calendar_feed, meeting_log, passwords
from finder.accounts.models import (
    Favorite,
    SobrietyDate,
    SobrietyHistory,
    User,
    new_session_token,
)
from finder.accounts.models_log import CalendarFeed
from finder.models import Group
from finder.organize.models import Organizer
from finder.sharing.models import MeetingList

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$")


def username_key(username: str) -> str:
    return username.strip().lower()


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username_key == username_key(username)))


def load_user(session: Session, cookie_id: str) -> User | None:
    """The user for a Flask-Login id "<id>:<session token>", if the token is still current."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(User, int(user_id))
    if user is None or not _same(user.session_token, token):
        return None
    return user


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class UsernameTaken(ValueError):
    """Someone else has the username (perhaps registered a moment ago, concurrently)."""


def create_user(session: Session, username: str, password: str, timezone: str) -> User:
    """A new account; UsernameTaken when another registration got the name first."""
    user = User(
        username=username.strip(),
        username_key=username_key(username),
        password_hash=passwords.hash_password(password),
        timezone=timezone,
        timezone_chosen=True,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:  # the unique username_key: a simultaneous registration
        session.rollback()
        raise UsernameTaken(username) from exc
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password is right, else None (taking as long either way)."""
    user = find_user(session, username)
    if user is None:
        passwords.burn_time(password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        session.commit()
    return user


def change_password(session: Session, user: User, new_password: str) -> None:
    """Set a new password and a new session token, which ends every other session."""
    user.password_hash = passwords.hash_password(new_password)
    user.session_token = new_session_token()
    session.commit()


def end_sessions(session: Session, user: User) -> None:
    """A new session token: every session and remember-me cookie issued so far stops working."""
    user.session_token = new_session_token()
    session.commit()


def delete_account(session: Session, user: User) -> None:
    """Delete the account and everything that belongs to it, in one transaction."""
    user_id = user.id
    meeting_log.remove_all(session, user_id)
    calendar_feed.remove(session, user_id)
    session.execute(delete(MeetingList).where(MeetingList.user_id == user_id))
    session.execute(delete(SobrietyHistory).where(SobrietyHistory.user_id == user_id))
    session.execute(delete(SobrietyDate).where(SobrietyDate.user_id == user_id))
    session.execute(delete(Favorite).where(Favorite.user_id == user_id))
    session.execute(delete(User).where(User.id == user_id))
    session.commit()
    session.expunge_all()


def _iso(value: dt.date) -> str:
    return value.isoformat()


def _moment(value: dt.datetime) -> str:
    """A stored timestamp (naive UTC) as ISO 8601 with its offset, like `exported_at`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def lists_made(session: Session, user_id: int) -> int:
    """How many shared lists the account made: their links stop working when it is deleted."""
    query = select(func.count()).select_from(MeetingList).where(MeetingList.user_id == user_id)
    return session.scalar(query) or 0


def _export_calendar(session: Session, user_id: int) -> dict[str, Any] | None:
    """Whether there is a private calendar address; its secret token stays out of the file."""
    made = session.scalar(select(CalendarFeed.created_at).where(CalendarFeed.user_id == user_id))
    return None if made is None else {"made_at": _moment(made)}


def _export_list(record: MeetingList) -> dict[str, Any]:
    return {
        "title": record.title,
        "code": record.code,
        "meetings": [i.meeting_slug for i in record.items],
        "created_at": _moment(record.created_at),
        "updated_at": _moment(record.updated_at),
    }


def export_data(session: Session, user: User, now: dt.datetime) -> dict[str, Any]:
    """Everything stored about the account, except the password hash and session token."""
    favorites = session.scalars(
        select(Favorite).where(Favorite.user_id == user.id).order_by(Favorite.id)
    )
    dates = session.scalars(
        select(SobrietyDate).where(SobrietyDate.user_id == user.id).order_by(SobrietyDate.id)
    )
    return {
        "exported_at": _moment(now),
        "account": {
            "username": user.username,
            "timezone": user.timezone,
            "timezone_chosen": user.timezone_chosen,
            "created_at": _moment(user.created_at),
        },
        "favorites": [
            {"meeting": f.meeting_slug, "saved_at": _moment(f.created_at), "as_saved": f.snapshot}
            for f in favorites
        ],
        "sobriety_dates": [_export_date(d) for d in dates],
        "meetings_attended": meeting_log.export(session, user.id),
        "lists_made": [
            _export_list(r)
            for r in session.scalars(
                select(MeetingList).where(MeetingList.user_id == user.id).order_by(MeetingList.id)
            )
        ],
        "private_calendar": _export_calendar(session, user.id),
        "groups_organized": list(
            session.scalars(
                select(Group.name)
                .join(Organizer, Organizer.group_id == Group.id)
                .where(Organizer.user_id == user.id)
                .order_by(Group.name)
            )
        ),
    }


def _export_date(record: SobrietyDate) -> dict[str, Any]:
    return {
        "label": record.label,
        "date": _iso(record.date),
        "created_at": _moment(record.created_at),
        "updated_at": _moment(record.updated_at),
        "earlier_dates": [
            {"date": _iso(h.date), "replaced_on": _iso(h.replaced_on)} for h in record.history
        ],
    }
