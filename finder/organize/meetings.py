"""Organizers' meetings: post one per day, sharing a group, and edit them."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.catalog import ensure_fellowships
from finder.feeds.clean import slugify
from finder.models import Fellowship, Group, Location, Meeting, utcnow
from finder.organize import audit
from finder.organize.models import (
    APPROVED,
    PENDING,
    REJECTED,
    GroupReview,
    MeetingUpkeep,
    Organizer,
)
from finder.organize.moderation import sync_published, upkeep_of
from finder.organize.roles import is_admin, local_source, organized_group_ids


@dataclass
class Place:
    """Where the meeting is, as the organizer confirmed it."""

    latitude: float
    longitude: float
    timezone: str
    name: str = ""
    address: str = ""
    formatted_address: str = ""
    approximate: bool = False
    # A street address the geocoder placed only at its town or ZIP code: still a room.
    rough_point: bool = False


@dataclass
class Draft:
    """A meeting as the form gives it, checked and typed."""

    name: str
    group: str
    fellowship: str
    days: list[int]
    time: dt.time
    place: Place
    end_time: dt.time | None = None
    types: list[str] = field(default_factory=list)
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    notes: str = ""
    temporarily_closed: bool = False


def find_group(session: Session, user: User, name: str) -> Group | None:
    """A group of the user's (any group for an admin) with this name, ignoring case."""
    stmt = select(Group).join(GroupReview, GroupReview.group_id == Group.id)
    stmt = stmt.where(func.lower(Group.name) == name.strip().lower())
    if not is_admin(user):
        stmt = stmt.where(Group.id.in_(sorted(organized_group_ids(session, user))))
    return session.scalars(stmt.order_by(Group.id)).first()


def group_for(session: Session, user: User, name: str, current: Group | None = None) -> Group:
    """The named group of theirs, or a new one they organize (pending unless an admin's).

    Writing to a rejected group sends it back for review.
    """
    same = current is not None and _same_name(current.name, name)
    group = current if same else find_group(session, user, name)
    if group is not None:
        review = session.get(GroupReview, group.id)
        if review is not None and review.state == REJECTED:  # changed: back to the admins
            review.state = PENDING
        return group
    group = Group(name=name.strip(), notes="")
    session.add(group)
    session.flush()
    state = APPROVED if is_admin(user) else PENDING
    session.add(GroupReview(group_id=group.id, state=state, reason=""))
    session.add(Organizer(group_id=group.id, user_id=user.id))
    session.flush()
    audit.record(session, user, "create group", group_id=group.id, subject=group.name)
    return group


@dataclass
class GroupMove:
    """An edit that would take a listed meeting out of the listings by moving it to a
    group not yet approved."""

    current: str  # the group it is listed under now
    new_group: bool  # the name makes a new group (else it names one waiting for review)


def unlisting_move(session: Session, user: User, meeting: Meeting, name: str) -> GroupMove | None:
    """What saving a published meeting under this group name would cost: None when it stays
    listed (same group, or an approved one, or a new group of an admin's)."""
    current = meeting.group
    if not meeting.published or current is None or _same_name(current.name, name):
        return None
    group = find_group(session, user, name)
    if group is None:
        return None if is_admin(user) else GroupMove(current.name, new_group=True)
    review = session.get(GroupReview, group.id)
    if review is not None and review.state == APPROVED:
        return None
    return GroupMove(current.name, new_group=False)


def _same_name(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def new_slug(session: Session, name: str) -> str:
    # "Esperanza en línea" -> "esperanza-en-linea", not "esperanza-en-l-nea".
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = (slugify(plain) or "meeting")[:80]
    slug, n = base, 1
    while session.scalar(select(Meeting.id).where(Meeting.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _location(place: Place, existing: Location | None = None) -> Location:
    location = existing or Location()
    location.name, location.address = place.name, place.address
    location.formatted_address = place.formatted_address or place.address
    location.latitude, location.longitude = place.latitude, place.longitude
    location.approximate, location.timezone = place.approximate, place.timezone
    location.rough_point = place.rough_point
    return location


def _apply(meeting: Meeting, draft: Draft, day: int, fellowship: Fellowship) -> None:
    meeting.fellowship = fellowship
    meeting.name, meeting.day, meeting.time = draft.name.strip(), day, draft.time
    meeting.end_time, meeting.types = draft.end_time, list(draft.types)
    meeting.notes = draft.notes
    meeting.conference_url = draft.conference_url
    meeting.conference_url_notes = draft.conference_url_notes
    meeting.conference_phone = draft.conference_phone
    meeting.conference_phone_notes = draft.conference_phone_notes
    meeting.temporarily_closed = draft.temporarily_closed
    meeting.attendance_option = ""


def _add(
    session: Session, user: User, draft: Draft, group: Group, day: int, loc: Location
) -> Meeting:
    fellowship = ensure_fellowships(session)[draft.fellowship]
    meeting = Meeting(
        slug=new_slug(session, draft.name),
        group=group,
        location=loc,
        source=local_source(session),
        source_key=None,
        published=False,
    )
    _apply(meeting, draft, day, fellowship)
    session.add(meeting)
    session.flush()
    upkeep_of(session, meeting).confirmed_at = utcnow()
    sync_published(session, meeting)
    audit.record(
        session,
        user,
        "create",
        group_id=group.id,
        meeting=meeting,
        changes=audit.differences({}, {k: v for k, v in audit.snapshot(meeting).items() if v}),
    )
    return meeting


def create_meetings(session: Session, user: User, draft: Draft) -> list[Meeting]:
    """One meeting per day, sharing the group and the place."""
    group = group_for(session, user, draft.group)
    location = _location(draft.place)
    made = [_add(session, user, draft, group, day, location) for day in sorted(set(draft.days))]
    session.commit()
    return made


def other_days(session: Session, meeting: Meeting) -> list[Meeting]:
    """The same meeting on its other days: posted together (one per day) or listed so, with
    the same group, name, place and time, and still meeting. Sunday first."""
    if meeting.group_id is None or meeting.day is None:
        return []
    found = session.scalars(
        select(Meeting)
        .outerjoin(MeetingUpkeep, MeetingUpkeep.meeting_id == Meeting.id)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.name == meeting.name,
            Meeting.location_id == meeting.location_id,
            Meeting.time == meeting.time,
            Meeting.day.is_not(None),
            Meeting.day != meeting.day,
            Meeting.id != meeting.id,
            func.coalesce(MeetingUpkeep.stopped, False).is_(False),
        )
        .order_by(Meeting.day, Meeting.id)
    )
    return list(found)


def update_meeting(
    session: Session,
    user: User,
    meeting: Meeting,
    draft: Draft,
    same_change: bool = False,
) -> list[Meeting]:
    """Apply an edit; with same_change, the same edit to the meeting's other days (each
    keeping its own day). Extra days become new meetings of the same group, except days the
    meeting already has (no second copy). Returns all touched."""
    held = other_days(session, meeting)
    fellowship = ensure_fellowships(session)[draft.fellowship]
    also = held if same_change else []
    days = sorted(set(draft.days)) or [meeting.day or 0]
    day = meeting.day if meeting.day in days else days[0]
    group = group_for(session, user, draft.group, meeting.group)
    before = {m.id: audit.snapshot(m) for m in (meeting, *also)}
    if _place_differs(meeting.location, draft.place):
        shared = session.scalar(
            select(func.count(Meeting.id)).where(Meeting.location_id == meeting.location_id)
        )
        moving = 1 + sum(1 for m in also if m.location_id == meeting.location_id)
        keep = None if (shared or 0) > moving else meeting.location
        meeting.location = _location(draft.place, keep)
        for other in also:
            other.location = meeting.location
    for edited, its_day in [(meeting, day if day is not None else days[0])] + [
        (m, m.day if m.day is not None else days[0]) for m in also
    ]:
        edited.group = group
        _apply(edited, draft, its_day, fellowship)
        session.flush()
        upkeep_of(session, edited).confirmed_at = utcnow()
        sync_published(session, edited)
        changes = audit.differences(before[edited.id], audit.snapshot(edited))
        action = "edit"
        if set(changes) == {"temporarily_closed"}:
            action = "close" if edited.temporarily_closed else "reopen"
        audit.record(session, user, action, group_id=group.id, meeting=edited, changes=changes)
    taken = {meeting.day, *(m.day for m in held)}
    made = [_add(session, user, draft, group, d, meeting.location) for d in days if d not in taken]
    session.commit()
    return [meeting, *also, *made]


def _place_differs(location: Location, place: Place) -> bool:
    """Whether the place changed, in its words, point, or what the look-up said of it."""
    return _place_key(location) != _place_key(_location(place))


def _place_key(location: Location) -> tuple[object, ...]:
    return (
        location.name,
        location.address,
        location.formatted_address,
        location.latitude,
        location.longitude,
        bool(location.approximate),
        bool(location.rough_point),
    )


def set_stopped(session: Session, user: User, meeting: Meeting, stopped: bool) -> None:
    """The group says the meeting has stopped (off the listings; its page tells visitors and
    offers meetings nearby at the same time), or that it meets again."""
    upkeep_of(session, meeting).stopped = stopped
    sync_published(session, meeting)
    audit.record(
        session, user, "stop" if stopped else "restart", group_id=meeting.group_id, meeting=meeting
    )
    session.commit()


def confirm(session: Session, user: User, meeting: Meeting) -> None:
    """The group says the meeting is still right as listed."""
    upkeep_of(session, meeting).confirmed_at = utcnow()
    audit.record(session, user, "confirm", group_id=meeting.group_id, meeting=meeting)
    session.commit()
