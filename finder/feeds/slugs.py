"""Meeting slugs as feeds give them: kept exactly, suffixed only on a collision, never reused.

A slug is a meeting's address: bookmarks, favorites and other sites link to it.
So a feed's slug is kept as given (case, length, dashes); only when another
source's meeting has it already does the new meeting get "-s<source id>". A
slug once given to a meeting (meeting.slug, or meeting_slug for slugs it had
before) is never given to another one, and a meeting whose slug changed at its
source keeps its old slug as a redirect.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from finder.feeds.clean import with_suffix
from finder.feeds.record import FeedMeeting
from finder.models import Meeting, MeetingSlug, Source

CHUNK = 500


def rekey_by_feed_id(records: Iterable[FeedMeeting], existing: dict[str, Meeting]) -> None:
    """A meeting whose key left the feed but whose feed id came back under a new key is the
    same meeting: it takes the new key (and so keeps its row, favorites and history)."""
    records = list(records)
    keys = {r.key for r in records}
    by_id = {m.feed_id: m for k, m in existing.items() if m.feed_id and k not in keys}
    for record in records:
        meeting = by_id.pop(record.feed_id, None) if record.feed_id else None
        if meeting is None or record.key in existing:
            continue
        del existing[meeting.source_key or ""]
        meeting.source_key = record.key
        existing[record.key] = meeting


def assign_slugs(
    session: Session, source: Source, records: Iterable[FeedMeeting], existing: dict[str, Meeting]
) -> dict[str, str]:
    """The slug of each new meeting and of each meeting whose feed slug changed.

    The feed's slug when no other meeting has or had it, else with "-s<source id>",
    then "-s<source id>-2"... Meetings whose feed slug is unchanged are left out.
    """
    wanted: dict[str, str] = {}
    for record in records:
        meeting = existing.get(record.key)
        if meeting is None or not _keeps_slug(meeting, record.slug):
            wanted[record.key] = record.slug
    suffix = f"s{source.id}"
    candidates = set(wanted.values()) | {with_suffix(s, suffix) for s in wanted.values()}
    taken = taken_slugs(session, candidates)
    slugs: dict[str, str] = {}
    for key, slug in wanted.items():
        own = existing[key].id if key in existing else None
        candidate, n = slug, 1
        while taken.get(candidate, own) != own:
            candidate = with_suffix(slug, suffix if n == 1 else f"{suffix}-{n}")
            if n > 1:  # only the first suffix was looked up in advance
                taken.update(taken_slugs(session, {candidate}))
            n += 1
        taken[candidate] = own if own is not None else -1
        slugs[key] = candidate
    return slugs


def _keeps_slug(meeting: Meeting, feed_slug: str) -> bool:
    if meeting.feed_slug is None:  # imported before feed slugs were kept: same slug or not
        return meeting.slug == feed_slug
    return meeting.feed_slug == feed_slug


def taken_slugs(session: Session, slugs: set[str]) -> dict[str, int]:
    """Which of these slugs a meeting has or had: slug -> that meeting's id."""
    ordered = sorted(slugs)
    taken: dict[str, int] = {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for slug_column, id_column in ((MeetingSlug.slug, MeetingSlug.meeting_id),
                                       (Meeting.slug, Meeting.id)):  # fmt: skip
            rows = session.execute(select(slug_column, id_column).where(slug_column.in_(chunk)))
            taken.update((slug, ident) for slug, ident in rows)
    return taken


def retire_slug(session: Session, meeting: Meeting, new_slug: str) -> None:
    """Keep the meeting's current slug as a redirect before it takes new_slug."""
    if meeting.slug == new_slug:
        return
    session.execute(delete(MeetingSlug).where(MeetingSlug.slug == new_slug,
                                              MeetingSlug.meeting_id == meeting.id))  # fmt: skip
    if not session.scalar(select(MeetingSlug.id).where(MeetingSlug.slug == meeting.slug)):
        session.add(MeetingSlug(slug=meeting.slug, meeting_id=meeting.id))


def moved_to(session: Session, slug: str) -> str | None:
    """The current slug of the meeting that had this slug before, if any."""
    stmt = (
        select(Meeting.slug)
        .join(MeetingSlug, MeetingSlug.meeting_id == Meeting.id)
        .where(MeetingSlug.slug == slug)
    )
    return session.scalar(stmt)
