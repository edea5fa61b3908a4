"""Typed SQLAlchemy models: fellowships, sources, groups, locations, meetings, geocode cache."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SLUG_LENGTH = 255  # feeds' slugs are kept as given; the spec's 64 is only advice


def utcnow() -> dt.datetime:
    """Naive UTC now: every timestamp column stores UTC without an offset."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class Fellowship(Base):
    """A program such as AA or SMART Recovery."""

    __tablename__ = "fellowship"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Source(Base):
    """Where meetings came from: a feed, the demo generator, or organizers."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="feed")  # feed | demo | local
    url: Mapped[str | None] = mapped_column(String(2000))
    fellowship_id: Mapped[int | None] = mapped_column(ForeignKey("fellowship.id"))
    last_import_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    fellowship: Mapped[Fellowship | None] = relationship()

    @property
    def is_demo(self) -> bool:
        return self.kind == "demo"


class Group(Base):
    __tablename__ = "meeting_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    notes: Mapped[str] = mapped_column(Text, default="")


class Location(Base):
    """A place; meetings there share its address, coordinates and time zone."""

    __tablename__ = "location"
    __table_args__ = (Index("ix_location_lat_lng", "latitude", "longitude"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(60), default="")
    formatted_address: Mapped[str] = mapped_column(String(500), default="")
    # None for an online meeting whose source names no place finder can find.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # An area (a city, a region, "Virtual Only"), not a room: nobody can go there.
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    # A real address whose point is only its city's or ZIP code's (geocoded roughly).
    rough_point: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64))
    regions: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    meetings: Mapped[list[Meeting]] = relationship(back_populates="location")

    @property
    def kind(self) -> str:
        """ "room" (a place to go), "area" (only a region) or "none" (no place at all)."""
        if self.latitude is None or self.longitude is None:
            return "none"
        return "area" if self.approximate else "room"

    @property
    def exact_point(self) -> bool:
        """Whether the point is the room's own (so maps and distances are true)."""
        return self.kind == "room" and not self.rough_point


class Meeting(Base):
    """A weekly meeting: a day and wall-clock time in its location's time zone."""

    __tablename__ = "meeting"
    __table_args__ = (
        UniqueConstraint("source_id", "source_key", name="uq_meeting_source_key"),
        Index("ix_meeting_location", "location_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    fellowship_id: Mapped[int] = mapped_column(ForeignKey("fellowship.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_group.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    day: Mapped[int | None] = mapped_column(Integer)  # 0 = Sunday .. 6 = Saturday
    time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    types: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    conference_url: Mapped[str] = mapped_column(String(2000), default="")
    conference_url_notes: Mapped[str] = mapped_column(Text, default="")
    conference_phone: Mapped[str] = mapped_column(String(100), default="")
    conference_phone_notes: Mapped[str] = mapped_column(Text, default="")
    temporarily_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set only where no place and link can say it; "" (every feed row) derives it as the spec does.
    attendance_option: Mapped[str] = mapped_column(String(20), default="")
    source_url: Mapped[str] = mapped_column(String(2000), default="")  # the feed's page for it
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    source_key: Mapped[str | None] = mapped_column(String(255))
    # The slug the feed gave, exactly (`slug` differs only after a collision between sources),
    # and the feed's own id of the meeting (TSML `id`), which survives a change of slug.
    feed_slug: Mapped[str | None] = mapped_column(String(SLUG_LENGTH))
    feed_id: Mapped[str | None] = mapped_column(String(255))
    # The same meeting listed by another source first: searches show that one only.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL", name="fk_meeting_duplicate_of")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # When the listing itself last changed, as its feed says (Meeting Guide `updated`, UTC).
    listing_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    fellowship: Mapped[Fellowship] = relationship()
    group: Mapped[Group | None] = relationship()
    location: Mapped[Location] = relationship(back_populates="meetings")
    source: Mapped[Source | None] = relationship()

    @property
    def last_updated(self) -> dt.datetime:
        """The listing's own last change when its feed says, else finder's last change (UTC)."""
        return self.listing_updated_at or self.updated_at

    @property
    def attendance(self) -> str:
        return self.attendance_option or self.derived_attendance

    @property
    def derived_attendance(self) -> str:
        """Attendance from the place and the links alone, as the spec derives it."""
        return derive_attendance(
            has_address=bool(self.location.formatted_address or self.location.address),
            approximate=self.location.approximate,
            conference_url=self.conference_url,
            conference_phone=self.conference_phone,
            temporarily_closed=self.temporarily_closed or "TC" in (self.types or []),
        )

    @property
    def listed_attendance(self) -> str:
        """The attendance its listing's own fields give, as finder's feed publishes it."""
        return listed_attendance(
            self.attendance_option, self.derived_attendance, self.name, self.notes
        )

    @property
    def room_unused(self) -> bool:
        """Shown online only because its listing says so in words, though it gives a room."""
        return self.listed_attendance != self.attendance

    @property
    def meets_at_its_location(self) -> bool:
        """Whether people go to its location: a room, in person or hybrid (not a closed room
        whose meeting goes on online, nor one that is not meeting at all)."""
        return self.location.kind == "room" and self.attendance in ("in_person", "hybrid")


class MeetingSlug(Base):
    """A slug a meeting had before: it redirects there and is never given to another meeting."""

    __tablename__ = "meeting_slug"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class GeocodeCache(Base):
    """Every answer of a geocoder, found or not, keyed by normalised query text."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(255), unique=True)
    provider: Mapped[str] = mapped_column(String(40))
    found: Mapped[bool] = mapped_column(Boolean)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(500), default="")
    country: Mapped[str] = mapped_column(String(8), default="")
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SearchState(Base):
    """One row: a version bumped in the same transaction as every meeting or location write."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class SearchChange(Base):
    """What a version changed: a meeting ("m"), a location ("l") or everything ("*", id 0)."""

    __tablename__ = "search_change"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    entity_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


# A listing that gives a room and a link but says in its name (or its notes' first words, or
# "no face to face") that it meets only online: nobody is at the room.
ONLINE_ONLY_NAME = re.compile(r"\b(?:online|virtual|zoom|phone|telephone)[\s-]*only\b", re.I)
ONLINE_ONLY_NOTES = re.compile(
    r"^\W*(?:online|virtual|zoom|phone|telephone)[\s-]*only\b|\bno[\s-]+face[\s-]*to[\s-]*face\b",
    re.I,
)


def says_online_only(name: str, notes: str) -> bool:
    """Whether a listing says in words that it meets only online ("Upper Darby (Online
    Only)", notes "Phone Only- Step 11 / No Face to Face")."""
    return bool(ONLINE_ONLY_NAME.search(name or "") or ONLINE_ONLY_NOTES.search(notes or ""))


def listed_attendance(option: str, derived: str, name: str, notes: str) -> str:
    """The attendance a listing's own fields give, for the feed finder publishes: a meeting
    shown online only because its words say so (import) stays hybrid there, as its source
    gives it; finder's reading is finder's, and other readers of the feed make their own."""
    if option == "online" and derived == "hybrid" and says_online_only(name, notes):
        return derived
    return option or derived


def derive_attendance(
    *,
    has_address: bool,
    approximate: bool,
    conference_url: str,
    conference_phone: str,
    temporarily_closed: bool,
) -> str:
    """Attendance as the Meeting Guide spec derives it.

    Online: a conference URL or phone. In person: a specific (not approximate)
    address and not temporarily closed. Hybrid: both. Neither: inactive.
    """
    online = bool(conference_url or conference_phone)
    in_person = has_address and not approximate and not temporarily_closed
    if online and in_person:
        return "hybrid"
    if online:
        return "online"
    if in_person:
        return "in_person"
    return "inactive"
