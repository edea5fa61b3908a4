"""Favorite meetings: saved per account, or in a signed browser cookie before logging in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from finder.accounts.models import Favorite, User
from finder.i18n import clock, day_name, in_sentence
from finder.i18n import gettext as _
from finder.models import Meeting, MeetingSlug
from finder.schedule import Occurrence, current_or_next

COOKIE_NAME = "finder_favorites"
COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_COOKIE_FAVORITES = 50


def cookie_serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="finder.favorites")


def load_cookie(secret_key: str, raw: str | None) -> list[str]:
    """Slugs from the browser's signed cookie; anything tampered with counts as empty."""
    if not raw:
        return []
    try:
        value = cookie_serializer(secret_key).loads(raw)
    except BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [s for s in value if isinstance(s, str) and s][:MAX_COOKIE_FAVORITES]


def dump_cookie(secret_key: str, slugs: list[str]) -> str:
    return str(cookie_serializer(secret_key).dumps(slugs[-MAX_COOKIE_FAVORITES:]))


def toggle_slug(slugs: list[str], slug: str, want: bool) -> list[str]:
    """The cookie list with slug added (at the end) or removed."""
    kept = [s for s in slugs if s != slug]
    return [*kept, slug] if want else kept


def find_meeting(session: Session, slug: str) -> Meeting | None:
    return session.scalar(
        select(Meeting).options(joinedload(Meeting.location)).where(Meeting.slug == slug)
    )


def snapshot(meeting: Meeting) -> dict[str, Any]:
    """What the person saw when they starred it, to tell them later what changed."""
    return {
        "name": meeting.name,
        "day": meeting.day,
        "time": meeting.time.strftime("%H:%M") if meeting.time else None,
        "location": meeting.location.name,
        "address": meeting.location.formatted_address or meeting.location.address,
        "published": meeting.published,
        "temporarily_closed": is_closed(meeting),
    }


def is_closed(meeting: Meeting) -> bool:
    return meeting.temporarily_closed or "TC" in (meeting.types or [])


def favorite_slugs(session: Session, user_id: int) -> set[str]:
    rows = session.scalars(select(Favorite.meeting_slug).where(Favorite.user_id == user_id))
    return set(rows)


def set_favorite(session: Session, user: User, slug: str, want: bool) -> bool:
    """Star or unstar a meeting for an account; answers whether it is now a favorite."""
    existing = session.scalar(
        select(Favorite).where(Favorite.user_id == user.id, Favorite.meeting_slug == slug)
    )
    if want and existing is None:
        meeting = find_meeting(session, slug)
        if meeting is None or not meeting.published:
            return False
        session.add(Favorite(user_id=user.id, meeting_slug=slug, snapshot=snapshot(meeting)))
    elif not want and existing is not None:
        session.delete(existing)
    session.commit()
    return want


def merge(session: Session, user: User, slugs: list[str]) -> int:
    """Add the browser's favorites to the account; answers how many were new."""
    have = favorite_slugs(session, user.id)
    added = 0
    for slug in dict.fromkeys(slugs):
        meeting = find_meeting(session, slug) if slug not in have else None
        if meeting is not None and meeting.published:
            session.add(Favorite(user_id=user.id, meeting_slug=slug, snapshot=snapshot(meeting)))
            added += 1
    session.commit()
    return added


def mark_seen(session: Session, user: User, slug: str) -> bool:
    """Take today's meeting details as the new snapshot, clearing the change notes."""
    favorite = session.scalar(
        select(Favorite).where(Favorite.user_id == user.id, Favorite.meeting_slug == slug)
    )
    meeting = find_meeting(session, slug)
    if favorite is None or meeting is None:
        return False
    favorite.snapshot = snapshot(meeting)
    session.commit()
    return True


def remove_all(session: Session, user_id: int) -> None:
    session.execute(delete(Favorite).where(Favorite.user_id == user_id))


@dataclass
class SavedMeeting:
    """One line of /me/favorites."""

    slug: str
    name: str
    meeting: Meeting | None
    occurrence: Occurrence | None
    changes: list[str] = field(default_factory=list)
    saved_at: dt.datetime | None = None

    @property
    def listed(self) -> bool:
        return self.meeting is not None and self.meeting.published


def _when(day: int | None, time: str | None) -> str:
    if day is None or not time:
        return str(_("no fixed time"))
    # Inside "New time: %(new)s (was %(was)s)": "lunes 12:00" in Spanish.
    return f"{in_sentence(day_name(day))} {clock(dt.time.fromisoformat(time))}"


def changes_since(saved: dict[str, Any], meeting: Meeting | None) -> list[str]:
    """What is different now from the snapshot, in words."""
    if meeting is None or not meeting.published:
        return [_("No longer listed")]
    if not saved:
        return [_("Temporarily closed")] if is_closed(meeting) else []
    now = snapshot(meeting)
    notes = []
    if (now["day"], now["time"]) != (saved.get("day"), saved.get("time")):
        was, new = _when(saved.get("day"), saved.get("time")), _when(now["day"], now["time"])
        notes.append(_("New time: %(new)s (was %(was)s)", new=new, was=was))
    if (now["address"], now["location"]) != (saved.get("address"), saved.get("location")):
        was_place = saved.get("address") or saved.get("location") or _("unknown")
        new_place = now["address"] or now["location"]
        notes.append(_("New place: %(new)s (was %(was)s)", new=new_place, was=was_place))
    if now["temporarily_closed"]:
        notes.append(_("Temporarily closed"))
    return notes


def _occurrence(meeting: Meeting | None, now: dt.datetime) -> Occurrence | None:
    if meeting is None or meeting.day is None or meeting.time is None:
        return None
    return current_or_next(
        meeting.day, meeting.time, meeting.end_time, meeting.location.timezone, now
    )


def _sort_key(item: SavedMeeting) -> tuple[int, float, str]:
    if not item.listed:
        return (2, 0.0, item.name.lower())
    if item.occurrence is None:
        return (1, 0.0, item.name.lower())
    return (0, item.occurrence.start.timestamp(), item.name.lower())


def saved_meetings(
    session: Session, slugs: dict[str, dict[str, Any]], now: dt.datetime
) -> list[SavedMeeting]:
    """Saved meetings (slug -> snapshot) with next start and changes, soonest first."""
    meetings = {
        m.slug: m
        for m in session.scalars(
            select(Meeting).options(joinedload(Meeting.location)).where(Meeting.slug.in_(slugs))
        )
    }
    meetings.update(moved_meetings(session, set(slugs) - set(meetings)))
    items = []
    for slug, saved in slugs.items():
        meeting = meetings.get(slug)
        name = meeting.name if meeting else str(saved.get("name") or slug)
        changes = changes_since(saved, meeting)
        items.append(SavedMeeting(slug, name, meeting, _occurrence(meeting, now), changes))
    return sorted(items, key=_sort_key)


def moved_meetings(session: Session, slugs: set[str]) -> dict[str, Meeting]:
    """Meetings whose slug changed at their source, by the slug they were saved under."""
    if not slugs:
        return {}
    stmt = (
        select(MeetingSlug.slug, Meeting)
        .join(Meeting, Meeting.id == MeetingSlug.meeting_id)
        .where(MeetingSlug.slug.in_(slugs))
        .options(joinedload(Meeting.location))
    )
    return {old: meeting for old, meeting in session.execute(stmt)}


def account_favorites(session: Session, user: User, now: dt.datetime) -> list[SavedMeeting]:
    rows = session.scalars(select(Favorite).where(Favorite.user_id == user.id)).all()
    items = saved_meetings(session, {f.meeting_slug: f.snapshot for f in rows}, now)
    created = {f.meeting_slug: f.created_at for f in rows}
    for item in items:
        item.saved_at = created.get(item.slug)
    return items
