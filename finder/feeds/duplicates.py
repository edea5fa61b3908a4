"""The same meeting listed by two sources: found after each import, shown once in searches.

Two published meetings of different sources are one meeting when they share the
day and the time, and either the same join link or places within about 50 m with
alike names. The first listing (the lowest id) stays in searches; the later ones
point to it with `duplicate_of_id`, and each page links the other listing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from finder.geo import haversine_km
from finder.models import Location, Meeting, Source

NEAR_KM = 0.05
ALIKE_RATIO = 0.8
FILLER_WORDS = frozenset({"the", "a", "of", "group", "meeting", "aa", "na", "and"})


def join_link(url: str) -> str:
    """A join link without its query or fragment (passwords, tracking), case-folded host."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return ""
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


def name_words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", name.lower())) - FILLER_WORDS


def alike_names(a: str, b: str) -> bool:
    """Equal once filler words go, one within the other, or nearly the same letters."""
    words_a, words_b = name_words(a), name_words(b)
    if words_a and words_b and (words_a <= words_b or words_b <= words_a):
        return True
    joined_a, joined_b = " ".join(sorted(words_a)), " ".join(sorted(words_b))
    return SequenceMatcher(None, joined_a, joined_b).ratio() >= ALIKE_RATIO


def same_meeting(a: Row[Any], b: Row[Any]) -> bool:
    """Whether two listings on the same day and time are one meeting."""
    link = join_link(a.conference_url)
    if link and link == join_link(b.conference_url):
        return True
    if a.approximate or b.approximate:
        return False
    near = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= NEAR_KM
    return near and alike_names(a.name, b.name)


LISTING_COLUMNS = (
    Meeting.id, Meeting.source_id, Meeting.day, Meeting.time, Meeting.name,
    Meeting.conference_url, Location.latitude, Location.longitude, Location.approximate,
)  # fmt: skip


def _listings(session: Session) -> list[Any]:
    """Published, dated, non-demo meetings with what same_meeting() compares, oldest first."""
    stmt = (
        select(*LISTING_COLUMNS)
        .join(Location, Meeting.location_id == Location.id)
        .outerjoin(Source, Meeting.source_id == Source.id)
        .where(Meeting.published.is_(True), Meeting.day.is_not(None), Meeting.time.is_not(None))
        .where(or_(Source.id.is_(None), Source.kind != "demo"))
        .order_by(Meeting.id)
    )
    return list(session.execute(stmt))


def first_listings(session: Session) -> dict[int, int]:
    """Each later listing of a meeting -> its first listing."""
    by_slot: dict[tuple[int, Any], list[Row[Any]]] = defaultdict(list)
    for row in _listings(session):
        by_slot[(row.day, row.time)].append(row)
    duplicates: dict[int, int] = {}
    for rows in by_slot.values():
        firsts: list[Row[Any]] = []
        for row in rows:
            first = next(
                (f for f in firsts if f.source_id != row.source_id and same_meeting(f, row)), None
            )
            if first is None:
                firsts.append(row)
            else:
                duplicates[row.id] = first.id
    return duplicates


def mark_duplicates(session: Session) -> int:
    """Set duplicate_of_id on every meeting where it changed; returns how many are duplicates."""
    wanted = first_listings(session)
    stmt = select(Meeting.id, Meeting.duplicate_of_id).where(Meeting.duplicate_of_id.is_not(None))
    marked = {meeting_id: target for meeting_id, target in session.execute(stmt)}
    for meeting_id in set(wanted) | set(marked):
        target = wanted.get(meeting_id)
        if marked.get(meeting_id) != target:
            meeting = session.get(Meeting, meeting_id)
            if meeting is not None:
                meeting.duplicate_of_id = target
    return len(wanted)


def other_listings(session: Session, meeting: Meeting) -> list[Meeting]:
    """The same meeting as listed by other sources (published), first listing first."""
    ids = [meeting.duplicate_of_id] if meeting.duplicate_of_id else []
    root = meeting.duplicate_of_id or meeting.id
    stmt = (
        select(Meeting)
        .where(Meeting.published.is_(True), Meeting.id != meeting.id)
        .where(or_(Meeting.id.in_(ids), Meeting.duplicate_of_id == root))
        .order_by(Meeting.id)
    )
    return list(session.scalars(stmt))
