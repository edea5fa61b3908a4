"""Coordinates and time zones for feed rows: geocode what is missing, check every zone.

A row without coordinates is geocoded through finder.geocoding.locate(): the
configured online geocoder through the database cache, then the offline one.
When only the offline geocoder knows the place (the ZIP code or the city of a
street address), the meeting is kept at that point as a room with a rough point
(`rough_point`: directions go by the address text, distances read "about"), with
a warning. An online meeting never needs coordinates: when nothing knows its
place it is kept with none (in the zone the feed gives, or the feed's most common
one). Any other row that cannot be placed is rejected with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from finder.feeds.record import FeedMeeting, FeedPlace, RowReport
from finder.geo import timezone_at
from finder.geocoding import Geocoder, Place, PlaceNotFound, locate
from finder.schedule import zone

Lookup = Callable[[str], Place]


@dataclass
class Placed:
    """Meetings with coordinates and a zone, and the rows that could not be placed."""

    meetings: list[FeedMeeting] = field(default_factory=list)
    rejected: list[RowReport] = field(default_factory=list)
    warnings: list[RowReport] = field(default_factory=list)
    geocoded: int = 0
    not_found: int = 0  # rows rejected because no geocoder knew their address
    no_address: int = 0  # rows rejected with neither coordinates nor an address


@contextmanager
def geocoder_lookup(online: Geocoder | None) -> Iterator[Lookup]:
    """locate() in a session of its own, so cached answers never join the import's transaction."""
    from finder.db import new_session

    session = new_session()

    def lookup(query: str) -> Place:
        try:
            return locate(session, query, online)
        finally:
            session.rollback()  # end the read transaction; answers were committed already

    try:
        yield lookup
    finally:
        session.close()


def place_meetings(
    meetings: list[FeedMeeting], lookup: Lookup, progress: Callable[[int], None] | None = None
) -> Placed:
    """Fill in missing coordinates and time zones; reject what cannot be placed."""
    placed = Placed()
    answers: dict[str, Place | str] = {}
    pointless: list[FeedMeeting] = []  # online meetings kept without coordinates
    for meeting in meetings:
        if not meeting.place.has_point:
            problem = _geocode(meeting, lookup, answers, placed)
            if problem and _online(meeting):
                meeting.place.approximate = True  # no room: nobody goes anywhere
                pointless.append(meeting)
                problem = ""
            elif problem:
                placed.rejected.append(RowReport(meeting.index, meeting.feed_slug, problem))
                continue
        if meeting.place.has_point:
            _set_timezone(meeting, placed)
        placed.meetings.append(meeting)
        if progress is not None:
            progress(1)
    _zone_pointless(pointless, placed)
    for meeting in placed.meetings:
        placed.warnings.extend(
            RowReport(meeting.index, meeting.feed_slug, w) for w in meeting.warnings
        )
    placed.rejected = _unique(placed.rejected)
    placed.warnings = _unique(placed.warnings)
    placed.no_address = sum(1 for r in placed.rejected if r.reason == NO_ADDRESS)
    placed.not_found = sum(1 for r in placed.rejected if r.reason.startswith(NOT_FOUND))
    return placed


def _online(meeting: FeedMeeting) -> bool:
    return bool(meeting.conference_url or meeting.conference_phone)


def _zone_pointless(pointless: list[FeedMeeting], placed: Placed) -> None:
    """A zone for online meetings without coordinates: their own, else the feed's usual one."""
    zones = Counter(m.place.timezone for m in placed.meetings if m.place.has_point)
    usual = zones.most_common(1)[0][0] if zones else ""
    dropped: set[int] = set()
    for meeting in pointless:
        place = meeting.place
        if place.timezone:
            try:
                zone(place.timezone)
                continue
            except ValueError:
                pass
        if not usual:
            reason = "is online with no place and no time zone; give its `timezone`"
            placed.rejected.append(RowReport(meeting.index, meeting.feed_slug, reason))
            dropped.add(id(meeting))
            continue
        place.timezone = usual
        note = f"online with no place found; kept without coordinates, in {usual}"
        meeting.warnings.append(note)
    if dropped:
        placed.meetings = [m for m in placed.meetings if id(m) not in dropped]


NO_ADDRESS = "has no coordinates and no address to look up"
NOT_FOUND = "has no coordinates and its address"


def _geocode(
    meeting: FeedMeeting, lookup: Lookup, answers: dict[str, Place | str], placed: Placed
) -> str:
    """Set the place's point from the geocoder; returns the rejection reason, or ""."""
    place = meeting.place
    query = place.geocode_query()
    if not query:
        return NO_ADDRESS
    if query not in answers:
        try:
            answers[query] = lookup(query)
            placed.geocoded += 1
        except PlaceNotFound:
            answers[query] = f"{NOT_FOUND} {query!r} was not found"
    answer = answers[query]
    if isinstance(answer, str):
        return answer
    _apply(place, answer)
    if place.rough_point:
        note = f"address not found exactly; pinned roughly at {answer.label}"
        meeting.warnings.append(note)
    return ""


def failure_summary(rows: int, rejected: int, placed: Placed) -> str:
    """Why a feed has no importable meeting, with counts and what to do."""
    lines = [f"the feed has no importable meeting: all {rows} rows were rejected"]
    if placed.not_found:
        lines.append(
            f"{placed.not_found} rows have no coordinates and their address was not found; "
            "the offline geocoder knows US ZIP codes, US cities and world cities only: "
            "set GEOCODER=nominatim (with GEOCODER_USER_AGENT) to look up street addresses"
        )
    if placed.no_address:
        lines.append(f"{placed.no_address} rows have neither coordinates nor an address")
    other = rejected - placed.not_found - placed.no_address
    if other > 0:
        lines.append(f"{other} rows were rejected for other reasons (listed above)")
    lines.append("nothing was changed")
    return "; ".join(lines)


def _apply(place: FeedPlace, found: Place) -> None:
    """The found point; a room found only roughly stays a room, with a rough point."""
    place.latitude, place.longitude = round(found.latitude, 7), round(found.longitude, 7)
    place.rough_point = found.approximate and not place.approximate


def _set_timezone(meeting: FeedMeeting, placed: Placed) -> None:
    place = meeting.place
    assert place.latitude is not None and place.longitude is not None
    if place.timezone:
        try:
            zone(place.timezone)
            return
        except ValueError:
            derived = timezone_at(place.latitude, place.longitude)
            note = f"unknown time zone {place.timezone!r}; using {derived} from the coordinates"
            placed.warnings.append(RowReport(meeting.index, meeting.feed_slug, note))
            place.timezone = derived
            return
    place.timezone = timezone_at(place.latitude, place.longitude)


def _unique(reports: list[RowReport]) -> list[RowReport]:
    """One report per row and reason (a row with several days is one row)."""
    return list(dict.fromkeys(reports))
