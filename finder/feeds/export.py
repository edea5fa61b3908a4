"""finder's own Meeting Guide feed: every published meeting, as the Meeting Guide app reads it.

Faithful to the sources: keys with no value are left out, `end_time` and
`updated` only when the source gave them, `types` only Meeting Guide codes (the
retired ONL aside: online comes from the link), and finder's fellowship code
under `fellowship` (clients ignore keys they do not know; import-feed reads it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from finder.catalog import feed_type_codes
from finder.models import Location, Meeting, Source

UPDATED_FORMAT = "%Y-%m-%d %H:%M:%S"
SLUG_PLACEHOLDER = "__slug__"
LinkFor = Callable[[str], str]
EMPTY: tuple[Any, ...] = ("", None, [])


@dataclass(frozen=True)
class Links:
    """A meeting's page URL: the slug, escaped, between a prefix and a suffix.

    A class rather than a closure so that feed_rows can read the prefix and suffix.
    """

    before: str
    after: str

    def __call__(self, slug: str) -> str:
        return f"{self.before}{quote(slug, safe='')}{self.after}"


def links(before: str, after: str) -> Links:
    """The LinkFor of meeting pages between this prefix and suffix."""
    return Links(before, after)


def in_feed() -> ColumnElement[bool]:
    """Which meetings the feed publishes (with Source outer-joined): the published ones, each
    once, and never demo data, which must never pass for real meetings. A meeting listed by
    two sources is published as first imported, as searches show it (finder.feeds.duplicates):
    a site reading the feed would otherwise list it twice."""
    return and_(
        Meeting.published.is_(True),
        Meeting.duplicate_of_id.is_(None),
        or_(Source.id.is_(None), Source.kind != "demo"),
    )


def published_meetings(session: Session) -> list[Meeting]:
    """Every meeting the feed publishes (in_feed), as ORM meetings."""
    stmt = (
        select(Meeting)
        .outerjoin(Source, Meeting.source_id == Source.id)
        .where(in_feed())
        .options(
            joinedload(Meeting.location), joinedload(Meeting.group), joinedload(Meeting.fellowship)
        )
        .order_by(Meeting.slug)
    )
    return list(session.scalars(stmt))


def _when(meeting: Meeting) -> dict[str, Any]:
    """day/time/end_time; a meeting without them is "by appointment" and has none."""
    if meeting.day is None or meeting.time is None:
        return {}
    when: dict[str, Any] = {"day": meeting.day, "time": meeting.time.strftime("%H:%M")}
    if meeting.end_time is not None:
        when["end_time"] = meeting.end_time.strftime("%H:%M")
    return when


def _point(location: Location) -> dict[str, float]:
    """Coordinates when they are the place's own: never a room's rough (city or ZIP) point."""
    if location.latitude is None or location.longitude is None or location.rough_point:
        return {}
    return {"latitude": round(location.latitude, 7), "longitude": round(location.longitude, 7)}


def _place(location: Location) -> dict[str, Any]:
    return {
        "location": location.name,
        "location_notes": location.notes,
        "formatted_address": location.formatted_address,
        "address": location.address,
        "city": location.city,
        "state": location.state,
        "postal_code": location.postal_code,
        "country": location.country,
        **_point(location),
        "approximate": "yes" if location.approximate else "no",
        "regions": list(location.regions or []),
    }


def feed_types(codes: list[str]) -> list[str]:
    """The Meeting Guide codes among a meeting's types (BMLT format names and typos stay out)."""
    known = feed_type_codes()
    return [code for code in codes or [] if code in known]


def meeting_row(meeting: Meeting, link_for: LinkFor) -> dict[str, Any]:
    """One meeting in Meeting Guide format: every field finder knows that has a value."""
    location = meeting.location
    group = meeting.group
    row = {
        "name": meeting.name,
        "slug": meeting.slug,
        **_when(meeting),
        "timezone": location.timezone,
        "types": feed_types(meeting.types),
        "notes": meeting.notes,
        **_place(location),
        "group": group.name if group else "",
        "group_notes": group.notes if group else "",
        "conference_url": meeting.conference_url,
        "conference_url_notes": meeting.conference_url_notes,
        "conference_phone": meeting.conference_phone,
        "conference_phone_notes": meeting.conference_phone_notes,
        "attendance_option": meeting.listed_attendance,
        "updated": _updated(meeting),
        "url": link_for(meeting.slug),
        "fellowship": meeting.fellowship.code,
    }
    return {key: value for key, value in row.items() if value not in EMPTY}


def _updated(meeting: Meeting) -> str:
    """The listing's own last change: its feed's date, or an organizer's last edit in finder.

    Never finder's import date for a feed's meeting.
    """
    stamp = meeting.listing_updated_at
    if stamp is None and meeting.source is not None and meeting.source.kind == "local":
        stamp = meeting.updated_at
    return stamp.strftime(UPDATED_FORMAT) if stamp else ""


def feed_body(session: Session, link_for: LinkFor) -> bytes:
    """The whole feed as compact UTF-8 JSON, ordered by slug (so equal data gives equal bytes)."""
    rows = [meeting_row(m, link_for) for m in published_meetings(session)]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def last_modified(session: Session) -> dt.datetime | None:
    """When a published meeting or its location last changed (UTC, aware, whole seconds)."""
    meeting_max = session.scalar(select(func.max(Meeting.updated_at)))
    location_max = session.scalar(
        select(func.max(Location.updated_at)).join(Meeting, Meeting.location_id == Location.id)
    )
    stamps = [s for s in (meeting_max, location_max) if s is not None]
    if not stamps:
        return None
    return max(stamps).replace(tzinfo=dt.UTC, microsecond=0)
