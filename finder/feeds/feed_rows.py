"""The published feed's meetings as dicts, straight from rows of the columns the feed shows.

`export.meeting_row` says what a meeting looks like in the feed, one ORM meeting at a time;
for 100,000 meetings its attribute reads, helper calls and final filtering of empty values
cost more than the query. FeedRows makes dicts that serialise to the same JSON (same keys
in the same order, same values) from plain Core rows: an empty value is never added rather
than filtered out afterwards, and values that repeat (times, type lists, regions, dates) are
converted once per distinct value. tests/test_feeds_scale.py holds the two to the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Dialect, Time, type_coerce
from sqlalchemy.types import NullType

from finder.feeds import export
from finder.models import (
    Fellowship,
    Group,
    Location,
    Meeting,
    Source,
    derive_attendance,
    listed_attendance,
)

# Read raw: converted once per distinct value (SQLite hands these out as text), or only
# tested for truth (booleans, 0 or 1 in SQLite).
RAW = (JSON, Time, DateTime, Boolean)
# The feed's columns, in the order a row unpacks (see FeedRows.rows).
COLUMNS = (
    Meeting.name, Meeting.slug, Meeting.day, Meeting.time, Meeting.end_time, Location.timezone,
    Meeting.types, Meeting.notes, Location.name, Location.notes, Location.formatted_address,
    Location.address, Location.city, Location.state, Location.postal_code, Location.country,
    Location.latitude, Location.longitude, Location.rough_point, Location.approximate,
    Location.regions, Group.name, Group.notes, Meeting.conference_url,
    Meeting.conference_url_notes, Meeting.conference_phone, Meeting.conference_phone_notes,
    Meeting.temporarily_closed, Meeting.attendance_option, Meeting.listing_updated_at,
    Meeting.updated_at, Source.kind, Fellowship.code,
)  # fmt: skip
# Characters urllib.parse.quote never escapes: a slug of only these is its own URL path part.
SAFE_IN_URL = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
MEMO_LIMIT = 20_000  # distinct values a memo keeps at most (checked once a chunk)


def columns() -> list[Any]:
    """COLUMNS to select, those in RAW without their per-row conversion."""
    return [type_coerce(c, NullType()) if isinstance(c.type, RAW) else c for c in COLUMNS]


class Memo(dict[Any, Any]):
    """convert(value) for each distinct value, computed the first time it is asked for."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        result = self[value] = self.convert(value)
        return result


def _loader(column: Any, dialect: Dialect) -> Callable[[Any], Any]:
    """The column's own result conversion for this database (none when the driver does it)."""
    convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
    return convert if convert is not None else lambda value: value


def _types(codes: Any) -> tuple[tuple[str, ...], bool]:
    """(the feed's type codes, whether temporarily closed by type) as meeting_row reads them.

    Tuples, not lists: shared by many rows, they must not change (orjson writes both alike).
    """
    return tuple(export.feed_types(codes)), "TC" in (codes or [])


class FeedRows:
    """Rows of `columns()` -> dicts with the JSON export.meeting_row gives the same meetings."""

    def __init__(self, dialect: Dialect, link_for: export.LinkFor) -> None:
        time = _loader(Meeting.time, dialect)
        json_value = _loader(Meeting.types, dialect)
        stamp = _loader(Meeting.updated_at, dialect)
        self.clock = Memo(lambda raw: time(raw).strftime("%H:%M"))
        self.types = Memo(lambda raw: _types(json_value(raw)))
        self.regions = Memo(lambda raw: tuple(json_value(raw) or []))
        self.updated = Memo(lambda raw: stamp(raw).strftime(export.UPDATED_FORMAT))
        self.link_for = link_for
        self.before, self.after = (
            (link_for.before, link_for.after) if isinstance(link_for, export.Links) else ("", "")
        )

    def rows(self, rows: Iterable[Any]) -> list[dict[str, Any]]:
        """The feed's dicts of these rows, in meeting_row's key order.

        One unrolled loop (no call per field, no filtering pass): it runs 100,000 times.
        """
        clock, updated, types_of, regions_of = self.clock, self.updated, self.types, self.regions
        for memo in (clock, updated, types_of, regions_of):
            if len(memo) > MEMO_LIMIT:
                memo.clear()
        before, after, link_for = self.before, self.after, self.link_for
        out = []
        for (
            name, slug, day, time, end_time, timezone, types, notes, place, place_notes,
            formatted_address, address, city, state, postal_code, country, lat, lng, rough,
            approximate, regions, group, group_notes, conference_url, conference_url_notes,
            conference_phone, conference_phone_notes, closed, attendance, listing_updated,
            updated_at, source_kind, fellowship,
        ) in rows:  # fmt: skip
            row: dict[str, Any] = {}
            if name:
                row["name"] = name
            if slug:
                row["slug"] = slug
            if day is not None and time is not None:
                row["day"] = day
                row["time"] = clock[time]
                if end_time is not None:
                    row["end_time"] = clock[end_time]
            if timezone:
                row["timezone"] = timezone
            try:
                codes, closed_by_type = types_of[types]
            except TypeError:  # unhashable: a driver that parses JSON itself (psycopg)
                codes, closed_by_type = types_of.convert(types)
            if codes:
                row["types"] = codes
            if notes:
                row["notes"] = notes
            if place:
                row["location"] = place
            if place_notes:
                row["location_notes"] = place_notes
            if formatted_address:
                row["formatted_address"] = formatted_address
            if address:
                row["address"] = address
            if city:
                row["city"] = city
            if state:
                row["state"] = state
            if postal_code:
                row["postal_code"] = postal_code
            if country:
                row["country"] = country
            if lat is not None and lng is not None and not rough:
                row["latitude"] = round(lat, 7)
                row["longitude"] = round(lng, 7)
            row["approximate"] = "yes" if approximate else "no"
            if regions is not None:
                try:
                    listed = regions_of[regions]
                except TypeError:
                    listed = regions_of.convert(regions)
                if listed:
                    row["regions"] = listed
            if group:
                row["group"] = group
            if group_notes:
                row["group_notes"] = group_notes
            if conference_url:
                row["conference_url"] = conference_url
            if conference_url_notes:
                row["conference_url_notes"] = conference_url_notes
            if conference_phone:
                row["conference_phone"] = conference_phone
            if conference_phone_notes:
                row["conference_phone_notes"] = conference_phone_notes
            derived = derive_attendance(
                has_address=bool(formatted_address or address),
                approximate=approximate,
                conference_url=conference_url,
                conference_phone=conference_phone,
                temporarily_closed=closed or closed_by_type,
            )
            row["attendance_option"] = listed_attendance(attendance, derived, name, notes)
            if listing_updated is not None:
                row["updated"] = updated[listing_updated]
            elif source_kind == "local" and updated_at is not None:
                row["updated"] = updated[updated_at]
            if before and not slug.encode().rstrip(SAFE_IN_URL):  # what quote() leaves as is
                row["url"] = f"{before}{slug}{after}"
            else:
                url = link_for(slug)
                if url:
                    row["url"] = url
            if fellowship:
                row["fellowship"] = fellowship
            out.append(row)
        return out
