"""Sobriety date records: add, change gently (optionally keeping the earlier date), delete."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.accounts.models import SobrietyDate, SobrietyHistory, User

DEFAULT_LABEL = "Clean and sober"


def list_dates(session: Session, user: User) -> list[SobrietyDate]:
    query = select(SobrietyDate).where(SobrietyDate.user_id == user.id).order_by(SobrietyDate.id)
    return list(session.scalars(query))


def get_date(session: Session, user: User, record_id: int) -> SobrietyDate | None:
    """One of this user's dates; another person's id answers None."""
    return session.scalar(
        select(SobrietyDate).where(SobrietyDate.id == record_id, SobrietyDate.user_id == user.id)
    )


def add_date(session: Session, user: User, label: str, date: dt.date) -> SobrietyDate:
    record = SobrietyDate(user_id=user.id, label=label.strip() or DEFAULT_LABEL, date=date)
    session.add(record)
    session.commit()
    return record


def change_date(
    session: Session,
    record: SobrietyDate,
    label: str,
    date: dt.date,
    keep_earlier: bool,
    today: dt.date,
) -> None:
    """Update a date; keep the earlier one in private history only when asked to."""
    if keep_earlier and date != record.date:
        session.add(
            SobrietyHistory(
                user_id=record.user_id,
                sobriety_date_id=record.id,
                date=record.date,
                replaced_on=today,
            )
        )
    record.label = label.strip() or DEFAULT_LABEL
    record.date = date
    session.commit()


def delete_date(session: Session, record: SobrietyDate) -> None:
    """Delete a date together with its private history."""
    session.delete(record)
    session.commit()


def delete_history(session: Session, user: User, history_id: int) -> bool:
    entry = session.scalar(
        select(SobrietyHistory).where(
            SobrietyHistory.id == history_id, SobrietyHistory.user_id == user.id
        )
    )
    if entry is None:
        return False
    session.delete(entry)
    session.commit()
    return True


def set_timezone(session: Session, user: User, timezone: str) -> None:
    user.timezone = timezone
    user.timezone_chosen = True
    session.commit()
