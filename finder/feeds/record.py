"""The normalised form of one feed row, whatever format it came in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from finder.models import Location

PLACE_FIELDS = (
    "name", "address", "city", "state", "postal_code", "country", "formatted_address",
    "latitude", "longitude", "approximate", "rough_point", "timezone", "regions", "notes",
)  # fmt: skip


@dataclass
class FeedPlace:
    """Where a feed row says the meeting is; coordinates may still be missing."""

    name: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    formatted_address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    approximate: bool = False  # an area, not a room (see finder.places)
    rough_point: bool = False  # a room placed only at its city's or ZIP code's point
    timezone: str = ""
    regions: list[str] = field(default_factory=list)
    notes: str = ""

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def geocode_query(self) -> str:
        """The text to geocode: the formatted address, else the parts joined."""
        if self.formatted_address:
            return self.formatted_address
        region = " ".join(p for p in (self.state, self.postal_code) if p)
        parts = (self.address, self.city, region, self.country)
        return ", ".join(p for p in parts if p)

    @classmethod
    def of_location(cls, location: Location) -> FeedPlace:
        """The place a stored Location describes, to compare keys with feed rows."""
        return cls(**{name: getattr(location, name) for name in PLACE_FIELDS})

    def location_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PLACE_FIELDS}

    def key(self) -> tuple[Any, ...]:
        """Meetings of one source with equal keys share one Location row."""
        return (
            self.name, self.address, self.city, self.state, self.postal_code, self.country,
            self.formatted_address, _rounded(self.latitude), _rounded(self.longitude),
            self.approximate, self.rough_point, self.timezone, tuple(self.regions), self.notes,
        )  # fmt: skip


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 7)


@dataclass
class FeedMeeting:
    """One meeting of a feed, cleaned: one day, wall-clock times, type codes."""

    index: int
    key: str
    slug: str
    name: str
    feed_slug: str
    day: int | None
    time: dt.time | None
    end_time: dt.time | None
    place: FeedPlace
    types: list[str] = field(default_factory=list)
    notes: str = ""
    group: str = ""
    group_notes: str = ""
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    attendance_option: str = ""  # stored "": attendance is derived from the place and links
    attendance: str = ""  # as derived at import, for reports and tests
    source_url: str = ""
    listing_updated: dt.datetime | None = None
    feed_id: str = ""  # the feed's own id (TSML `id`): the same meeting when its slug changes
    fellowship: str = ""  # finder's fellowship code when the row names one (finder's own feed)
    warnings: list[str] = field(default_factory=list)  # kept, but something was left out

    def meeting_values(self) -> dict[str, Any]:
        """Column values of the Meeting this row becomes (location and group aside)."""
        return {
            "name": self.name,
            "day": self.day,
            "time": self.time,
            "end_time": self.end_time,
            "types": list(self.types),
            "notes": self.notes,
            "conference_url": self.conference_url,
            "conference_url_notes": self.conference_url_notes,
            "conference_phone": self.conference_phone,
            "conference_phone_notes": self.conference_phone_notes,
            "temporarily_closed": "TC" in self.types,
            "attendance_option": self.attendance_option,
            "source_url": self.source_url,
            "listing_updated_at": self.listing_updated,
            "feed_id": self.feed_id or None,
        }


@dataclass(frozen=True)
class RowReport:
    """A row rejected from an import, or kept with a warning, and why."""

    index: int
    slug: str
    reason: str

    def __str__(self) -> str:
        slug = f" ({self.slug})" if self.slug else ""
        line = f"index {self.index}{slug}: {self.reason}"
        return line.encode("utf-8", "backslashreplace").decode("utf-8")  # printable anywhere


class RowError(ValueError):
    """A row cannot be imported; the message is the reason shown to the operator."""
