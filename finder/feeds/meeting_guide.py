"""Meeting Guide JSON rows (with the 12 Step Meeting List plugin's extra keys) to FeedMeetings.

BMLT and the spreadsheet format are first reshaped into such rows, so every
format shares these rules: days and coordinates as strings, `day` arrays (one
meeting per day, "slug-day"), slugs kept exactly as given, a missing `end_time`
kept missing (readers take one hour), unknown type codes kept, `ONL` read as
online, HTML stripped from text, `attendance_option`, `approximate`, and
finder's own `fellowship` code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import DeclarativeBase

from finder.feeds import clean
from finder.feeds.record import FeedMeeting, FeedPlace, RowError, RowReport
from finder.models import Group, Location, Meeting, derive_attendance, says_online_only
from finder.places import is_area
from finder.schedule import ends_long_past_midnight, run_time

ATTENDANCE_OPTIONS = frozenset({"in_person", "online", "hybrid", "inactive"})
# What finder.search.params.CONTROL_CHARS refuses in a URL: no page could be reached with it.
UNSAFE_IN_SLUG = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
KEY_FIELD = "_key"  # the stable key when it is not the slug (BMLT's id)
# Free-text fields and the length each is cut to (the column's, or MAX_NOTES).
ONE_LINE_LIMITS = {"name": 255, "location": 255, "group": 255, "address": 255, "city": 100,
                   "state": 100, "formatted_address": 500}  # fmt: skip
NOTE_FIELDS = ("notes", "group_notes", "location_notes", "conference_url_notes",
               "conference_phone_notes")  # fmt: skip
Schedule = tuple[list[int | None], dt.time | None, dt.time | None, list[str]]


def parse_rows(rows: Iterable[Any]) -> tuple[list[FeedMeeting], list[RowReport]]:
    """Every importable meeting of the rows, and every rejected row with its reason."""
    meetings: list[FeedMeeting] = []
    rejected: list[RowReport] = []
    first_index: dict[str, int] = {}
    for index, row in enumerate(rows):
        try:
            parsed = parse_row(index, row)
        except RowError as exc:
            rejected.append(RowReport(index, row_slug(row), str(exc)))
            continue
        except (TypeError, ValueError, AttributeError, RecursionError) as exc:  # unforeseen
            reason = f"could not be read ({type(exc).__name__}: {exc})"
            rejected.append(RowReport(index, row_slug(row), reason))
            continue
        duplicate = next((m for m in parsed if m.key in first_index), None)
        if duplicate is not None:
            first = first_index[duplicate.key]
            reason = f"duplicate slug {duplicate.key!r}: index {first} has it already"
            rejected.append(RowReport(index, row_slug(row), reason))
            continue
        for meeting in parsed:
            first_index[meeting.key] = index
        meetings.extend(parsed)
    return meetings, rejected


def row_slug(row: Any) -> str:
    """The row's slug as given, for reports."""
    if isinstance(row, dict):
        return clean.text(row.get("slug"), 255)
    return ""


def parse_row(index: int, row: Any) -> list[FeedMeeting]:
    """The meetings of one row (several when `day` is a list); RowError says what is wrong."""
    if not isinstance(row, dict):
        raise RowError("is not a JSON object")
    if clean.too_deep(row):
        raise RowError(f"is nested more than {clean.MAX_DEPTH} levels deep")
    if row.get("_error"):
        raise RowError(str(row["_error"]))
    name = clean.text(row.get("name"), 255)
    if not name:
        raise RowError("has no name")
    key = clean.text(row.get(KEY_FIELD) or row.get("slug"))
    if not key:
        raise RowError("has no slug")
    if len(key) > 240:
        raise RowError("slug is longer than 240 characters")
    days, start, end, warnings = _schedule(row)
    template = _template(index, key, name, row)
    template.time, template.end_time = start, end
    template.warnings = warnings + template.warnings
    template.slug = given_slug(row) or key
    check_lengths(template)
    if len(days) == 1:
        template.day = days[0]
        return [template]
    return [_for_day(template, day) for day in days if day is not None]


def given_slug(row: dict[str, Any]) -> str:
    """The row's slug exactly as given (case, length, dashes); only surrounding blanks and
    characters no URL or database can carry (control characters, lone surrogates) go."""
    value = row.get("slug")
    if value is None or isinstance(value, (bool, dict, list)):
        return ""
    return UNSAFE_IN_SLUG.sub("", clean.SURROGATES.sub("", str(value))).strip()


def _schedule(row: dict[str, Any]) -> Schedule:
    """(days, start, end, warnings): a start of 24:00 is the next day's 00:00; no end stays None."""
    days = clean.parse_days(row.get("day"))
    start, next_day = clean.parse_clock(row.get("time"))
    end = clean.parse_time(row.get("end_time"), "end_time")
    if start is None and days != [None]:
        raise RowError("has a day but no time")
    if start is not None and days == [None]:
        raise RowError("has a time but no day")
    if next_day:
        days = [None if day is None else (day + 1) % 7 for day in days]
    warnings: list[str] = []
    if start is not None and end == start:
        warnings.append("end_time equals time; taken as missing (one hour)")
        end = None
    elif start is not None and end is not None and ends_long_past_midnight(start, end):
        # The listing is the source's (11:30 to 00:30 is likely a slip for 12:30): kept as
        # given, and the importer told.
        hours = run_time(start, end) // dt.timedelta(hours=1)
        warnings.append(
            f"end_time {end:%H:%M} makes the meeting {hours} hours long "
            'past midnight; kept as given, counted as an hour for "in progress": check it at the '
            "source"
        )
    return days, start, end, warnings


def _column_limits(model: type[DeclarativeBase]) -> dict[str, int]:
    columns = model.__table__.c
    lengths = {c.name: getattr(c.type, "length", None) for c in columns}
    return {name: length for name, length in lengths.items() if isinstance(length, int)}


LIMITS = {model: _column_limits(model) for model in (Meeting, Location, Group)}


def check_lengths(meeting: FeedMeeting) -> None:
    """RowError when a text would not fit its column (the database would refuse the import)."""
    values = (
        (Meeting, {**meeting.meeting_values(), "slug": meeting.slug, "source_key": meeting.key}),
        (Location, meeting.place.location_fields()),
        (Group, {"name": meeting.group}),
    )
    for model, fields in values:
        for name, value in fields.items():
            limit = LIMITS[model].get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                raise RowError(f"{name} is longer than {limit} characters")


def _for_day(template: FeedMeeting, day: int) -> FeedMeeting:
    return replace(
        template,
        key=f"{template.key}-{day}",
        slug=f"{template.slug}-{day}",
        feed_id=f"{template.feed_id}-{day}" if template.feed_id else "",
        day=day,
        types=list(template.types),
    )


def _template(index: int, key: str, name: str, row: dict[str, Any]) -> FeedMeeting:
    place = parse_place(row)
    url, url_note = clean.conference_url(row.get("conference_url"))
    url_notes = "\n".join(
        n for n in (clean.notes(row.get("conference_url_notes")), clean.notes(url_note)) if n
    )
    phone, phone_note = clean.conference_phone(row.get("conference_phone"))
    phone_notes = "\n".join(
        n for n in (clean.notes(row.get("conference_phone_notes")), phone_note) if n
    )
    meeting = FeedMeeting(
        index=index,
        key=key,
        slug="",
        name=name,
        feed_slug=row_slug(row),
        day=None,
        time=None,
        end_time=None,
        place=place,
        types=clean.types(row.get("types")),
        notes=clean.notes(row.get("notes")),
        group=clean.text(row.get("group"), 255),
        group_notes=clean.notes(row.get("group_notes")),
        conference_url=url,
        conference_url_notes=url_notes,
        conference_phone=phone,
        conference_phone_notes=phone_notes,
        source_url=_link(row.get("url")),
        listing_updated=clean.listing_updated(row.get("updated")),
        feed_id=clean.text(row.get("id"), 200),
        fellowship=clean.text(row.get("fellowship"), 16).lower(),
    )
    meeting.warnings = _text_warnings(row)
    meeting.attendance = attendance(row.get("attendance_option"), meeting)
    return meeting


def _text_warnings(row: dict[str, Any]) -> list[str]:
    """What was left out of a row that is still imported."""
    warnings = [
        f"{field} is longer than {clean.MAX_URL} characters; left out"
        for field in ("conference_url", "url")
        if clean.url_too_long(row.get(field))
    ]
    warnings += [
        f"{field} is a mail program's click-checker address with no link inside; kept as "
        "given, pages show no link for it: check it at the source"
        for field in ("conference_url", "url")
        if clean.joins_nothing(row.get(field))
    ]
    warnings += [
        f"{field} is {service}'s home page, not a meeting's link; kept as given, pages show "
        "no link for it: check it at the source"
        for field in ("conference_url",)
        if (service := clean.service_home_page(row.get(field)))
    ]
    if clean.has_surrogates(row):
        warnings.append("invalid characters (lone UTF-16 surrogates) removed from its text")
    warnings += [
        f"{field} is longer than {limit} characters; cut"
        for field, limit in ONE_LINE_LIMITS.items()
        if clean.text_cut(row.get(field), limit)
    ]
    warnings += [f"{field} is longer than {clean.MAX_NOTES} characters; cut"
                 for field in NOTE_FIELDS if clean.notes_cut(row.get(field))]  # fmt: skip
    return warnings


def _link(value: Any) -> str:
    url, _note = clean.conference_url(value)
    return url


def attendance(given: Any, meeting: FeedMeeting) -> str:
    """Attendance as the spec derives it from the place and the links.

    A feed's own attendance_option (TSML) is read only to say when it disagrees:
    it never turns an area into a room, nor a room without a link into an online
    meeting. `ONL` without a link is not online either: there is nothing to join.
    """
    derived = derive_attendance(
        has_address=bool(meeting.place.formatted_address or meeting.place.address),
        approximate=meeting.place.approximate,
        conference_url=meeting.conference_url,
        conference_phone=meeting.conference_phone,
        temporarily_closed="TC" in meeting.types,
    )
    option = clean.text(given).lower()
    if derived == "hybrid" and says_online_only(meeting.name, meeting.notes):
        # Nobody is at the room: no directions, no distance, not in "in person" searches.
        # finder's feed still gives it as its source does (models.listed_attendance).
        meeting.warnings.append(
            "its name or notes say it meets online only, but it gives an address: shown "
            "online only, with no directions; check it at the source"
        )
        meeting.attendance_option = "online"
        return "online"
    if option in ATTENDANCE_OPTIONS and option != derived:
        meeting.warnings.append(
            f"attendance_option {option!r} does not match its place and links; read as {derived}"
        )
    return derived


def parse_place(row: dict[str, Any]) -> FeedPlace:
    """The location fields of a row; coordinates (0, 0) count as missing."""
    lat = clean.parse_coordinate(row.get("latitude"), -90.0, 90.0)
    lng = clean.parse_coordinate(row.get("longitude"), -180.0, 180.0)
    if lat is None or lng is None or (lat == 0 and lng == 0):
        lat = lng = None
    parts = {
        "address": clean.text(row.get("address"), 255),
        "city": clean.text(row.get("city"), 100),
        "state": clean.text(row.get("state"), 100),
        "postal_code": clean.text(row.get("postal_code"), 20),
        "country": clean.country(row.get("country")),
    }
    formatted = clean.text(row.get("formatted_address"), 500)
    if formatted and not any(parts.values()):
        parts.update(clean.split_us_address(formatted))
    place = FeedPlace(
        name=clean.text(row.get("location"), 255),
        formatted_address=formatted,
        latitude=lat,
        longitude=lng,
        timezone=clean.text(row.get("timezone"), 64),
        regions=clean.regions(row.get("regions"))
        or clean.regions([row.get("region"), row.get("sub_region")]),
        notes=clean.notes(row.get("location_notes")),
        approximate=False,  # decided below, from the key or the whole address
        rough_point=False,
        **parts,
    )
    # formatted_address only as given: the feed gives it back as it came in.
    whole_address = place.formatted_address or place.geocode_query()
    place.approximate = _approximate(row.get("approximate"), whole_address)
    return place


def _approximate(given: Any, address: str) -> bool:
    """The source's own `approximate` key when it gives one, else whether it names no street."""
    if isinstance(given, bool):
        return given
    word = clean.text(given).lower()
    if word in {"yes", "true", "1"}:
        return True
    if word in {"no", "false", "0"}:
        return False
    return is_area(address)
