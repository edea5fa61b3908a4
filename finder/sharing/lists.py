"""Lists of meetings for a sponsee: make, read, change and delete them, with no personal data."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from finder.accounts.favorites import SavedMeeting, saved_meetings, snapshot
from finder.i18n import gettext as _
from finder.models import Meeting
from finder.sharing.models import MeetingList, MeetingListItem

MAX_MEETINGS = 30
MAX_TITLE = 100
DEFAULT_TITLE = "Meetings to try"
CODE_BYTES = 9  # 12 URL-safe characters, 72 random bits
EDIT_KEY_BYTES = 24
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def new_edit_key() -> str:
    return secrets.token_urlsafe(EDIT_KEY_BYTES)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def clean_title(raw: str | None) -> str:
    """The title as shown: single spaces, no control characters; a default when empty."""
    words = " ".join(UNPRINTABLE.sub(" ", raw or "").split())
    # Left empty, the list is named in its maker's language (the placeholder they saw).
    return words or str(_(DEFAULT_TITLE))


def slug_from(text: str) -> str:
    """A meeting slug from what someone pasted: a meeting page's link, its path, or the slug."""
    text = text.strip()
    path = unquote(urlsplit(text).path) if "/" in text else text
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[-2] == "meetings":
        return parts[-1]
    return parts[-1] if len(parts) == 1 else ""


@dataclass
class Picked:
    """Meetings chosen for a list, in order, and what could not be used."""

    meetings: list[Meeting] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def pick_meetings(session: Session, slugs: list[str]) -> Picked:
    """Published meetings for the slugs, once each, in the order given."""
    wanted = [s for s in dict.fromkeys(s.strip() for s in slugs) if s][: MAX_MEETINGS + 1]
    found = {
        m.slug: m
        for m in session.scalars(
            select(Meeting)
            .options(joinedload(Meeting.location), joinedload(Meeting.fellowship))
            .where(Meeting.slug.in_(wanted), Meeting.published.is_(True))
        ).unique()
    }
    picked = Picked()
    for slug in wanted:
        if slug in found:
            picked.meetings.append(found[slug])
        else:
            picked.missing.append(slug)
    return picked


def problems(title: str | None, picked: Picked) -> list[str]:
    """What is wrong with a list as sent, in words; empty when it can be saved."""
    errors = []
    if len(" ".join((title or "").split())) > MAX_TITLE:
        errors.append(_("Keep the title to %(n)s characters or fewer.", n=MAX_TITLE))
    if picked.missing:
        errors.append(_("Some meetings are no longer listed and were left out. Check the list."))
    if not picked.meetings:
        errors.append(_("Pick at least one meeting for the list."))
    elif len(picked.meetings) > MAX_MEETINGS:
        errors.append(_("A list holds up to %(n)s meetings.", n=MAX_MEETINGS))
    return errors


def _set_items(record: MeetingList, meetings: list[Meeting]) -> None:
    old = {item.meeting_slug: item for item in record.items}
    record.items = [
        MeetingListItem(position=n, meeting_slug=m.slug, snapshot=snapshot(m))
        if m.slug not in old
        else _moved(old[m.slug], n, m)
        for n, m in enumerate(meetings)
    ]


def _moved(item: MeetingListItem, position: int, meeting: Meeting) -> MeetingListItem:
    item.position = position
    item.snapshot = snapshot(meeting)  # the maker has seen it as it is now
    return item


def create_list(
    session: Session, title: str, meetings: list[Meeting], user_id: int | None
) -> tuple[MeetingList, str | None]:
    """A new list; answers it and, for a maker without an account, the secret edit key."""
    key = None if user_id is not None else new_edit_key()
    record = MeetingList(
        code=new_code(),
        title=clean_title(title),
        user_id=user_id,
        edit_key_hash=key_hash(key) if key else "",
    )
    _set_items(record, meetings)
    session.add(record)
    session.commit()
    return record, key


def update_list(session: Session, record: MeetingList, title: str, meetings: list[Meeting]) -> None:
    record.title = clean_title(title)
    _set_items(record, meetings)
    session.commit()


def delete_list(session: Session, record: MeetingList) -> None:
    session.delete(record)
    session.commit()


def find_list(session: Session, code: str) -> MeetingList | None:
    if not CODE_PATTERN.match(code):
        return None
    return session.scalar(
        select(MeetingList).options(selectinload(MeetingList.items)).where(MeetingList.code == code)
    )


def can_edit(record: MeetingList, user_id: int | None, key: str | None) -> bool:
    """The maker: their account, or the secret key of a list made without one."""
    if record.user_id is not None:
        return user_id is not None and user_id == record.user_id
    if not key or not record.edit_key_hash:
        return False
    return hmac.compare_digest(key_hash(key), record.edit_key_hash)


def entries(session: Session, record: MeetingList, now: dt.datetime) -> list[SavedMeeting]:
    """The list's meetings with next start and what changed, soonest first."""
    return saved_meetings(session, {i.meeting_slug: i.snapshot for i in record.items}, now)


def lists_of(session: Session, user_id: int) -> list[MeetingList]:
    return list(
        session.scalars(
            select(MeetingList)
            .options(selectinload(MeetingList.items))
            .where(MeetingList.user_id == user_id)
            .order_by(MeetingList.id)
        )
    )


def listed_meetings(items: list[SavedMeeting]) -> list[Meeting]:
    return [i.meeting for i in items if i.meeting is not None and i.listed]
