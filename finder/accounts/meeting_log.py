"""A sponsee's private meeting log: "I went" today, and the classic 90 meetings in 90 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.accounts.models_log import Attendance
from finder.models import Meeting

GOAL = 90  # meetings
WINDOW = 90  # days, today included
RECENT = 20


def record(session: Session, user: User, meeting: Meeting, today: dt.date) -> bool:
    """Note that the person went today; answers False when it was already noted."""
    if went_on(session, user.id, meeting.slug, today):
        return False
    session.add(
        Attendance(user_id=user.id, meeting_slug=meeting.slug, meeting_name=meeting.name, day=today)
    )
    session.commit()
    return True


def went_on(session: Session, user_id: int, slug: str, day: dt.date) -> bool:
    found = session.scalar(
        select(Attendance.id).where(
            Attendance.user_id == user_id, Attendance.meeting_slug == slug, Attendance.day == day
        )
    )
    return found is not None


@dataclass(frozen=True)
class LogSummary:
    """What /me/sobriety shows: totals, the last 90 days against the goal, recent entries."""

    total: int
    in_window: int
    window_start: dt.date
    recent: list[Attendance]

    @property
    def goal(self) -> int:
        return GOAL

    @property
    def reached(self) -> bool:
        return self.in_window >= GOAL

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.in_window / GOAL))


def summary(session: Session, user: User, today: dt.date) -> LogSummary:
    start = today - dt.timedelta(days=WINDOW - 1)
    mine = Attendance.user_id == user.id
    total = session.scalar(select(func.count(Attendance.id)).where(mine)) or 0
    in_window = (
        session.scalar(
            select(func.count(Attendance.id)).where(
                mine, Attendance.day >= start, Attendance.day <= today
            )
        )
        or 0
    )
    recent = session.scalars(
        select(Attendance)
        .where(mine)
        .order_by(Attendance.day.desc(), Attendance.id.desc())
        .limit(RECENT)
    ).all()
    return LogSummary(total, in_window, start, list(recent))


def delete_entry(session: Session, user: User, entry_id: int) -> bool:
    result = session.execute(
        delete(Attendance).where(Attendance.id == entry_id, Attendance.user_id == user.id)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0))


def remove_all(session: Session, user_id: int) -> None:
    session.execute(delete(Attendance).where(Attendance.user_id == user_id))


def export(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Attendance).where(Attendance.user_id == user_id).order_by(Attendance.day)
    )
    return [
        {"day": r.day.isoformat(), "meeting": r.meeting_slug, "name": r.meeting_name} for r in rows
    ]
