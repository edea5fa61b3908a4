"""Coordinates and time zones for feed rows: geocode what is missing, check every zone.

A row without coordinates is geocoded through finder.geocoding.locate(): the
configured online geocoder through the database cache, then the offline one.
When only the offline geocoder knows the place (the ZIP code or the city of the
address), the meeting is kept, placed at that point and marked approximate (so
no directions are offered to it), with a warning; when nothing knows it, the
row is rejected with the reason.
"""

from __future__ import annotations

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
    for meeting in meetings:
        place = meeting.place
        if not place.has_point:
            problem = _geocode(meeting, lookup, answers, placed)
            if problem:
                placed.rejected.append(RowReport(meeting.index, meeting.feed_slug, problem))
                continue
        _set_timezone(meeting, placed)
        placed.warnings.extend(
            RowReport(meeting.index, meeting.feed_slug, w) for w in meeting.warnings
        )
        placed.meetings.append(meeting)
        if progress is not None:
            progress(1)
    placed.rejected = _unique(placed.rejected)
    placed.warnings = _unique(placed.warnings)
    return placed


def _geocode(
    meeting: FeedMeeting, lookup: Lookup, answers: dict[str, Place | str], placed: Placed
) -> str:
    """Set the place's point from the geocoder; returns the rejection reason, or ""."""
    place = meeting.place
    query = place.geocode_query()
    if not query:
        return "has no coordinates and no address to look up"
    if query not in answers:
        try:
            answers[query] = lookup(query)
            placed.geocoded += 1
        except PlaceNotFound:
            answers[query] = f"has no coordinates and its address {query!r} was not found"
    answer = answers[query]
    if isinstance(answer, str):
        return answer
    _apply(place, answer)
    if answer.approximate:
        note = f"address not found exactly; placed approximately at {answer.label}"
        placed.warnings.append(RowReport(meeting.index, meeting.feed_slug, note))
    return ""


def _apply(place: FeedPlace, found: Place) -> None:
    place.latitude, place.longitude = round(found.latitude, 7), round(found.longitude, 7)
    place.approximate = place.approximate or found.approximate


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
