"""The nearby query: meetings within a radius, soonest or nearest first, with filters.

Searches run on the in-memory index of finder.spatial (numpy columns sorted into
latitude bands, kept current by search_state versions, see bench/README.md); while an
index is being built, or when FINDER_SEARCH_INDEX=off, the same query runs in SQL.
Both order the same way: soonest is (next start, distance, id) with undated meetings
last; distance is (distance, next start, id). Full rows are loaded only for the page.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, Row, Select, and_, or_, select
from sqlalchemy.orm import Session

from finder.fragments import fragment_cache
from finder.geo import haversine_km
from finder.i18n import lazy_gettext
from finder.models import Fellowship, Group, Location, Meeting, derive_attendance
from finder.schedule import NIGHT_RUNS_ON, Occurrence, current_or_next, time_of_day
from finder.spatial.changes import PENDING, has_tables, session_version
from finder.spatial.clock import from_us, to_us
from finder.spatial.grid import box
from finder.spatial.holder import holder_for
from finder.spatial.index import Snapshot
from finder.spatial.query import NO_START, Matches, search
from finder.standins import meetings_by_id
from finder.text import name_key, name_matches

ATTENDANCE_OPTIONS = ("in_person", "online", "hybrid")
ATTENDANCE_LABELS = {
    "in_person": lazy_gettext("In person"),
    "online": lazy_gettext("Online"),
    "hybrid": lazy_gettext("Hybrid"),
    "inactive": lazy_gettext("Temporarily inactive"),
}
ACTIVE_ATTENDANCE = frozenset(ATTENDANCE_OPTIONS)
# What each attendance filter finds: a hybrid meeting is both in person and online.
ATTENDANCE_FINDS = {
    "in_person": frozenset({"in_person", "hybrid"}),
    "online": frozenset({"online", "hybrid"}),
    "hybrid": frozenset({"hybrid"}),
}
SORTS = ("soonest", "distance")
ONE_HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Filters:
    """What a search asks for; empty sets mean "any"."""

    days: frozenset[int] = frozenset()
    times_of_day: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    attendance: frozenset[str] = frozenset()
    fellowships: frozenset[str] = frozenset()
    # Only meetings in progress or starting before this instant ("today": local midnight).
    starts_before: dt.datetime | None = None
    # Folded words (finder.text.name_words) that the meeting's or its group's name contains.
    name: tuple[str, ...] = ()

    @property
    def wanted_attendance(self) -> frozenset[str]:
        """The attendance values that match: "In person" and "Online" include hybrid.

        Inactive meetings (neither in person nor online) are only found when asked for.
        """
        if not self.attendance:
            return ACTIVE_ATTENDANCE
        return frozenset().union(*(ATTENDANCE_FINDS.get(a, {a}) for a in self.attendance))

    @property
    def includes_areas(self) -> bool:
        """Whether meetings at an area (not a room) are found near a place.

        Only when online meetings are asked for: an area's point is no room, so it
        never fills "nearest" before real rooms.
        """
        return "online" in self.attendance or "inactive" in self.attendance

    def keeps(self, occurrence: Occurrence | None) -> bool:
        """Whether an occurrence passes the starts_before cut."""
        if self.starts_before is None:
            return True
        if occurrence is None:
            return False
        return occurrence.in_progress or to_us(occurrence.start) < to_us(self.starts_before)

    def keeps_name(self, meeting_name: str | None, group_name: str | None) -> bool:
        """Whether the names pass the name filter."""
        return not self.name or name_matches(self.name, name_key(meeting_name, group_name))


@dataclass(frozen=True)
class Hit:
    """A meeting that matched, before its full row is loaded."""

    meeting_id: int
    distance_km: float
    occurrence: Occurrence | None
    attendance: str
    timezone: str


@dataclass
class Result:
    meeting: Meeting
    distance_km: float
    occurrence: Occurrence | None
    attendance: str


@dataclass
class Page:
    total: int
    results: list[Result] = field(default_factory=list)
    timezones: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HitPage:
    """One page of hits and how many matched in all."""

    total: int
    hits: list[Hit]


def find_hits(
    session: Session,
    lat: float,
    lng: float,
    radius_km: float,
    filters: Filters,
    now: dt.datetime,
    sort: str = "soonest",
) -> list[Hit]:
    """Every published meeting within radius_km matching the filters, sorted.

    Builds a Hit for each match; for one page, search_hits() is much cheaper.
    """
    return search_hits(session, lat, lng, radius_km, filters, now, sort=sort, limit=None).hits


def search_hits(
    session: Session,
    lat: float,
    lng: float,
    radius_km: float,
    filters: Filters,
    now: dt.datetime,
    *,
    sort: str = "soonest",
    offset: int = 0,
    limit: int | None = 25,
) -> HitPage:
    """Hits offset..offset+limit (all when limit is None) in `sort` order, and the total."""
    snap = _snapshot(session)
    stop = None if limit is None else offset + limit
    if snap is None:
        hits = _sql_hits(session, lat, lng, radius_km, filters, now, sort)
        return HitPage(len(hits), hits[offset:stop])
    matches = search(snap, lat, lng, radius_km, filters, now, sort, stop)
    return HitPage(matches.total, _hits(snap, matches, offset))


def _snapshot(session: Session) -> Snapshot | None:
    """The current index, or None when SQL must answer (no index yet, or this session
    holds uncommitted meeting writes that only SQL can see)."""
    written = itertools.chain(session.new, session.dirty, session.deleted)
    if session.info.get(PENDING) or any(
        isinstance(o, Meeting | Location | Fellowship) for o in written
    ):
        return None
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    conn = session.connection()
    if not has_tables(conn):
        return None
    return holder_for(engine).get(conn, session_version(session))


@lru_cache(maxsize=1 << 14)
def _occurrence(start: int, end: int, open_end: bool, running: bool, tz: str) -> Occurrence:
    """Kept across requests: a meeting's next start stays the same until it has passed,
    and many meetings share one (Occurrence is immutable)."""
    begins = from_us(start, tz)
    # Like schedule.py: an hour of wall-clock time when there is no end time.
    ends = begins + ONE_HOUR if open_end else from_us(end, tz)
    return Occurrence(begins, ends, running)


def _hits(snap: Snapshot, matches: Matches, offset: int) -> list[Hit]:
    """Hit objects for the matches from `offset` on.

    Many meetings of a city share a start (7 pm Monday): their (immutable) Occurrence
    is made once and kept (see _occurrence), which makes find_hits() three times
    cheaper in a dense place.
    """
    zones, attendance = snap.vocab.zones, snap.vocab.attendance
    rows = zip(
        matches.ids[offset:].tolist(),
        matches.distance[offset:].tolist(),
        matches.start[offset:].tolist(),
        matches.end[offset:].tolist(),
        matches.open_end[offset:].tolist(),
        matches.in_progress[offset:].tolist(),
        matches.attendance[offset:].tolist(),
        matches.zone[offset:].tolist(),
        strict=True,
    )
    hits = []
    for meeting_id, distance, start, end, open_end, running, att, zone in rows:
        tz = zones[zone]
        occurrence = None
        if start != NO_START:
            occurrence = _occurrence(start, end, open_end, running, tz)
        hits.append(Hit(meeting_id, distance, occurrence, attendance[att], tz))
    return hits


SortKey = tuple[float | int | bool, ...]


def sort_key(sort: str) -> Callable[[Hit], SortKey]:
    """The order both search paths share, as a key function over hits."""

    def soonest(hit: Hit) -> tuple[bool, int, float, int]:
        start = to_us(hit.occurrence.start) if hit.occurrence else 0
        return (hit.occurrence is None, start, hit.distance_km, hit.meeting_id)

    def distance(hit: Hit) -> tuple[float, bool, int, int]:
        undated, start, _, meeting_id = soonest(hit)
        return (hit.distance_km, undated, start, meeting_id)

    return distance if sort == "distance" else soonest


# The narrow columns a search reads: enough to filter, order and derive attendance.
LIGHT_COLUMNS = (
    Meeting.id,
    Meeting.day,
    Meeting.time,
    Meeting.end_time,
    Meeting.types,
    Meeting.conference_url,
    Meeting.conference_phone,
    Meeting.temporarily_closed,
    Meeting.attendance_option,
    Location.latitude,
    Location.longitude,
    Location.approximate,
    Location.timezone,
    Location.address,
    Location.formatted_address,
    Meeting.name,
    Group.name.label("group_name"),
)


def light_rows(filters: Filters) -> Select[*tuple[Any, ...]]:
    """Published meetings' LIGHT_COLUMNS, narrowed by the filters SQL can apply."""
    stmt: Select[*tuple[Any, ...]] = (
        select(*LIGHT_COLUMNS)
        .join(Location, Meeting.location_id == Location.id)
        .outerjoin(Group, Meeting.group_id == Group.id)
        .where(Meeting.published.is_(True), Meeting.duplicate_of_id.is_(None))
    )
    if filters.days:
        stmt = stmt.where(Meeting.day.in_(sorted(filters.days)))
    if filters.fellowships:
        stmt = stmt.join(Fellowship, Meeting.fellowship_id == Fellowship.id).where(
            Fellowship.code.in_(sorted(filters.fellowships))
        )
    return stmt


def row_attendance(row: Row[Any]) -> str:
    """A light row's attendance: the feed's own, or derived as the spec says."""
    types = row.types or []
    return row.attendance_option or derive_attendance(
        has_address=bool(row.address or row.formatted_address),
        approximate=row.approximate,
        conference_url=row.conference_url,
        conference_phone=row.conference_phone,
        temporarily_closed=row.temporarily_closed or "TC" in types,
    )


def _sql_hits(
    session: Session,
    lat: float,
    lng: float,
    radius_km: float,
    filters: Filters,
    now: dt.datetime,
    sort: str,
) -> list[Hit]:
    """The same search in SQL: a narrow query over the latitude/longitude index."""
    area = box(lat, lng, radius_km)
    lng_ranges = [Location.longitude.between(lo, hi) for lo, hi in area.lng_ranges]
    stmt = light_rows(filters).where(
        and_(Location.latitude.between(area.min_lat, area.max_lat), or_(*lng_ranges))
    )
    hits: list[Hit] = []
    for row in session.execute(stmt):
        distance = haversine_km(lat, lng, row.latitude, row.longitude)
        if distance > radius_km or not filters.keeps_name(row.name, row.group_name):
            continue
        types = row.types or []
        if filters.types and not filters.types.issubset(types):
            continue
        attendance = row_attendance(row)
        if attendance not in filters.wanted_attendance:
            continue
        if row.approximate and not filters.includes_areas:
            continue
        if filters.times_of_day and (
            row.time is None or time_of_day(row.time) not in filters.times_of_day
        ):
            continue
        occurrence = None
        if row.day is not None and row.time is not None:
            occurrence = current_or_next(row.day, row.time, row.end_time, row.timezone, now)
        if not filters.keeps(occurrence):
            continue
        hits.append(Hit(row.id, distance, occurrence, attendance, row.timezone))
    hits.sort(key=sort_key(sort))
    return hits


def load_results(session: Session, hits: Sequence[Hit]) -> list[Result]:
    """Meetings (with location, group, fellowship and source) for the given hits, in order.

    Read-only stand-ins from one Core query (finder.standins), not ORM objects: a third
    of the time for a page of 50. Stand-ins are kept per meeting until it changes
    (finder.fragments), so only meetings not seen since are read.
    """
    ids = [h.meeting_id for h in hits]
    if not ids:
        return []
    cache = fragment_cache(session)
    if cache is None:
        by_id = meetings_by_id(session, ids)
    else:
        by_id = {i: kept for i in ids if (kept := cache.pieces(i).get("standin")) is not None}
        missing = [i for i in ids if i not in by_id]
        for meeting_id, meeting in meetings_by_id(session, missing, cache.shared).items():
            cache.pieces(meeting_id)["standin"] = by_id[meeting_id] = meeting
    return [Result(by_id[h.meeting_id], h.distance_km, h.occurrence, h.attendance) for h in hits]


def search_page(
    session: Session,
    lat: float,
    lng: float,
    radius_km: float,
    filters: Filters,
    now: dt.datetime,
    *,
    sort: str = "soonest",
    offset: int = 0,
    limit: int = 25,
) -> Page:
    """One page of results and the total count."""
    found = search_hits(
        session, lat, lng, radius_km, filters, now, sort=sort, offset=offset, limit=limit
    )
    return Page(
        total=found.total,
        results=load_results(session, found.hits),
        timezones=frozenset(h.timezone for h in found.hits),
    )


def today_days(values: tuple[str, ...], today: int, times: Iterable[str] = ()) -> frozenset[int]:
    """parse_days, and for "today" alone also yesterday: last night's meeting still in
    progress after midnight is on now (starts_before keeps yesterday's others out); with
    "Night", tomorrow too: tonight runs on past midnight (see today_cut)."""
    days = parse_days(values, today)
    if tuple(values) != ("today",):
        return days
    days = days | {(today + 6) % 7}
    return days | {(today + 1) % 7} if "night" in times else days


def today_cut(
    values: tuple[str, ...], times: Iterable[str], midnight: dt.datetime | None
) -> dt.datetime | None:
    """The starts_before of a search: "today" ends at midnight, "today" at night at 5 am."""
    if tuple(values) != ("today",) or midnight is None:
        return None
    return midnight + NIGHT_RUNS_ON if "night" in times else midnight


def parse_days(values: Iterable[str], today: int) -> frozenset[int]:
    """ "today", "tomorrow", "any" or 0..6 (Sunday first); raises ValueError on anything else."""
    days: set[int] = set()
    for value in values:
        value = value.strip().lower()
        if value in {"", "any"}:
            continue
        if value == "today":
            days.add(today)
        elif value == "tomorrow":
            days.add((today + 1) % 7)
        elif value in {"0", "1", "2", "3", "4", "5", "6"}:
            days.add(int(value))
        else:
            raise ValueError(f"day must be today, tomorrow, any or 0-6 (Sunday=0), not {value!r}")
    return frozenset(days)
