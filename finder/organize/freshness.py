"""Freshness: when the group last confirmed a meeting, and visitors' "was it on?" answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.organize.models import AttendanceReport, MeetingUpkeep

STALE_AFTER = dt.timedelta(days=183)  # "not confirmed for 6 months"
FLAG_AFTER_NOS = 3  # this many "no" answers since the last confirmation flag a meeting
REPORT_WINDOW = dt.timedelta(days=60)
ONE_WEEK = dt.timedelta(days=7)


def report(session: Session, meeting: Meeting, was_on: bool) -> None:
    session.add(AttendanceReport(meeting_id=meeting.id, was_on=was_on))
    session.commit()


def nos_since(session: Session, meeting_id: int, since: dt.datetime) -> int:
    stmt = select(func.count(AttendanceReport.id)).where(
        AttendanceReport.meeting_id == meeting_id,
        AttendanceReport.was_on.is_(False),
        AttendanceReport.created_at > since,
    )
    return int(session.scalar(stmt) or 0)


@dataclass(frozen=True)
class Freshness:
    confirmed_at: dt.datetime | None
    stale: bool
    nos: int

    @property
    def flagged(self) -> bool:
        return self.nos >= FLAG_AFTER_NOS


def freshness(session: Session, meeting: Meeting, now: dt.datetime) -> Freshness:
    upkeep = session.get(MeetingUpkeep, meeting.id)
    confirmed = upkeep.confirmed_at if upkeep else None
    since = max(filter(None, [confirmed, now - REPORT_WINDOW]))
    stale = confirmed is None or now - confirmed > STALE_AFTER
    return Freshness(confirmed, stale, nos_since(session, meeting.id, since))


def flagged_meetings(session: Session, now: dt.datetime) -> list[tuple[Meeting, int]]:
    """Meetings (any source) with repeated "no" answers since their last confirmation."""
    recent = select(AttendanceReport.meeting_id).where(
        AttendanceReport.was_on.is_(False), AttendanceReport.created_at > now - REPORT_WINDOW
    )
    ids = set(session.scalars(recent.distinct()))
    found = []
    for meeting in session.scalars(select(Meeting).where(Meeting.id.in_(sorted(ids)))):
        fresh = freshness(session, meeting, now)
        if fresh.flagged:
            found.append((meeting, fresh.nos))
    return found


def answered_recently(cookie: dict[str, float], meeting_id: int, now: dt.datetime) -> bool:
    """Whether this browser answered for this meeting in the last week."""
    when = cookie.get(str(meeting_id))
    return when is not None and now.timestamp() - when < ONE_WEEK.total_seconds()
