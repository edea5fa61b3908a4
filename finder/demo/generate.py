"""The demo generator: deterministic, realistic meetings as plain data, no database.

The same count and seed always give the same locations, meetings and slugs:
every random choice comes from one seeded Random, in a fixed order, over
sorted inputs.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from dataclasses import dataclass, field
from itertools import accumulate

from finder.demo import vocab
from finder.demo.metros import METROS, Metro, Zip, metro_zips
from finder.geo import timezone_at
from finder.schedule import time_of_day

DEFAULT_COUNT = 6000
DEFAULT_SEED = 1
ATTENDANCE_WEIGHTS = (("in_person", 70.0), ("online", 15.0), ("hybrid", 15.0))
DEMO_JOIN_BASE = "https://meet.example.com/demo/"  # reserved domain: joins nobody's meeting


@dataclass(frozen=True)
class DemoLocation:
    key: int
    metro: str
    name: str
    address: str
    city: str
    state: str
    postal_code: str
    formatted_address: str
    latitude: float
    longitude: float
    approximate: bool
    timezone: str
    regions: tuple[str, ...]
    notes: str = ""
    accessible: bool = False


@dataclass(frozen=True)
class DemoGroup:
    key: int
    name: str


@dataclass(frozen=True)
class DemoMeeting:
    slug: str
    name: str
    fellowship: str
    group_key: int | None
    location_key: int
    metro: str
    attendance: str
    day: int
    time: dt.time
    end_time: dt.time
    types: tuple[str, ...]
    notes: str = ""
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""


@dataclass
class DemoData:
    locations: list[DemoLocation] = field(default_factory=list)
    groups: list[DemoGroup] = field(default_factory=list)
    meetings: list[DemoMeeting] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    """What one group's meetings share: fellowship, place, time, name, types, online link."""

    metro: Metro
    fellowship: str
    attendance: str
    location: DemoLocation
    start: dt.time
    end: dt.time
    name: str
    types: tuple[str, ...]
    group_key: int | None
    online: tuple[str, str, str, str]


def slugify(text: str) -> str:
    """Lowercase words joined by hyphens: "Women's Big Book" -> "womens-big-book"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def quotas(count: int, metros: tuple[Metro, ...]) -> list[int]:
    """Split count over the metros by their shares (largest remainder, ties by order)."""
    total = sum(m.share for m in metros)
    raw = [count * m.share / total for m in metros]
    result = [math.floor(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - result[i]), i))
    for i in by_remainder[: count - sum(result)]:
        result[i] += 1
    return result


def generate_demo(
    count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, metros: tuple[Metro, ...] = METROS
) -> DemoData:
    """`count` meetings over the metros, the same ones for the same seed."""
    builder = _Builder(random.Random(seed))
    for metro, quota in zip(metros, quotas(count, metros), strict=True):
        builder.fill_metro(metro, quota)
    return builder.finish()


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _region(city: str) -> str:
    return "Manhattan" if city == "New York" else city


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.locations: dict[int, DemoLocation] = {}
        self.groups: list[DemoGroup] = []
        self.meetings: list[DemoMeeting] = []
        self.online_places: dict[str, DemoLocation] = {}
        self.next_key = 1

    def finish(self) -> DemoData:
        return DemoData(list(self.locations.values()), self.groups, self.meetings)

    def key(self) -> int:
        self.next_key += 1
        return self.next_key - 1

    def fill_metro(self, metro: Metro, quota: int) -> None:
        zips = metro_zips(metro)
        cum_weights = list(accumulate(z.weight for z in zips))
        remaining = quota
        while remaining > 0:
            venue = self.venue(metro, self.rng.choices(zips, cum_weights=cum_weights)[0])
            primary = _weighted(self.rng, vocab.FELLOWSHIP_WEIGHTS)
            for _ in range(self.rng.choice((1, 2, 2, 3, 3, 3, 4, 5))):
                if remaining <= 0:
                    break
                fellowship = primary
                if self.rng.random() > 0.7:
                    fellowship = _weighted(self.rng, vocab.FELLOWSHIP_WEIGHTS)
                attendance = _weighted(self.rng, ATTENDANCE_WEIGHTS)
                place = self.online_place(metro) if attendance == "online" else venue
                remaining -= self.add_group(metro, place, fellowship, attendance, remaining)

    def point_near(self, zip_code: Zip) -> tuple[float, float]:
        """A point about half a kilometre around the ZIP's centre."""
        lat = zip_code.latitude + self.rng.gauss(0, 0.004)
        lng = zip_code.longitude + self.rng.gauss(0, 0.004 / math.cos(math.radians(lat)))
        return round(lat, 5), round(lng, 5)

    def venue(self, metro: Metro, zip_code: Zip) -> DemoLocation:
        """An in-person place: a church, centre, clubhouse or hospital at a fictional address."""
        lat, lng = self.point_near(zip_code)
        city = zip_code.city
        address = f"{self.rng.randrange(10, 2990)} {self.street()}"
        zone = timezone_at(lat, lng)
        if zone == "UTC" or zone.startswith("Etc/"):
            zone = metro.timezone
        regions = (metro.city,) if _region(city) == metro.city else (metro.city, _region(city))
        return DemoLocation(
            key=self.key(), metro=metro.code, name=self.venue_name(city), address=address,
            city=city, state=zip_code.state, postal_code=zip_code.code,
            formatted_address=f"{address}, {city}, {zip_code.state} {zip_code.code}, USA",
            latitude=lat, longitude=lng, approximate=False, timezone=zone, regions=regions,
            notes=self.rng.choice(vocab.LOCATION_NOTES), accessible=self.rng.random() < 0.6,
        )  # fmt: skip

    def online_place(self, metro: Metro) -> DemoLocation:
        """The metro's approximate, city-level place for online-only meetings."""
        if metro.code not in self.online_places:
            self.online_places[metro.code] = DemoLocation(
                key=self.key(), metro=metro.code, name="Online", address="",
                city=metro.city, state=metro.state, postal_code="",
                formatted_address=f"{metro.city}, {metro.state}, USA",
                latitude=metro.latitude, longitude=metro.longitude, approximate=True,
                timezone=metro.timezone, regions=(metro.city,),
            )  # fmt: skip
        return self.online_places[metro.code]

    def street(self) -> str:
        if self.rng.random() < 0.15:
            n = self.rng.randrange(4, 120)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            pattern = self.rng.choice(vocab.NUMBERED_STREETS).replace("{n}th", "{n}" + suffix)
            return pattern.format(n=n)
        return self.rng.choice(vocab.STREETS)

    def venue_name(self, city: str) -> str:
        pattern = _weighted(self.rng, vocab.VENUES)
        return pattern.format(
            city=city,
            saint=self.rng.choice(vocab.SAINTS),
            denom=self.rng.choice(vocab.DENOMINATIONS),
            first=self.rng.choice(vocab.FIRST_CHURCHES),
            word=self.rng.choice(vocab.CHURCH_WORDS),
            kind=self.rng.choice(vocab.CHURCH_KINDS),
            n=self.rng.randrange(100, 9999),
            room=self.rng.choice("ABC"),
        )

    def add_group(
        self, metro: Metro, place: DemoLocation, fellowship: str, attendance: str, limit: int
    ) -> int:
        """One group's weekly meetings at one time on one or more days; returns how many."""
        plan = self.plan(metro, place, fellowship, attendance)
        pattern = self.rng.choices(
            [p for p, _ in vocab.DAY_PATTERNS], weights=[w for _, w in vocab.DAY_PATTERNS]
        )[0]
        days = pattern or (self.rng.randrange(7),)
        self.locations.setdefault(place.key, place)
        for day in days[:limit]:
            self.add_meeting(plan, day)
        return min(len(days), limit)

    def plan(self, metro: Metro, place: DemoLocation, fellowship: str, attendance: str) -> _Plan:
        start = dt.time.fromisoformat(_weighted(self.rng, vocab.START_TIMES))
        minutes = 60 if start.hour >= 22 or self.rng.random() < 0.75 else 90
        end_at = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)
        name, name_types = self.name(fellowship, time_of_day(start))
        types = self.base_types(fellowship, name_types, place, attendance)
        group_key = None
        if fellowship in vocab.TWELVE_STEP:
            group_key = self.key()
            group_name = name if name.endswith("Group") else f"{name} Group"
            self.groups.append(DemoGroup(group_key, group_name))
        online = self.online_details(metro) if attendance != "in_person" else ("", "", "", "")
        return _Plan(metro, fellowship, attendance, place, start, end_at.time(), name, types,
                     group_key, online)  # fmt: skip

    def name(self, fellowship: str, bucket: str) -> tuple[str, tuple[str, ...]]:
        """A name that fits the fellowship and the time of day; names made for it weigh more."""
        pool = [n for n in vocab.NAMES[fellowship] if not n[2] or bucket in n[2]]
        pool = pool or list(vocab.NAMES[fellowship])
        weights = [4.0 if n[2] else 1.0 for n in pool]
        name, types, _ = self.rng.choices(pool, weights=weights)[0]
        return name, types

    def base_types(
        self, fellowship: str, name_types: tuple[str, ...], place: DemoLocation, attendance: str
    ) -> tuple[str, ...]:
        types: list[str] = []
        if fellowship in vocab.OPEN_SHARE:
            types.append("O" if self.rng.random() < vocab.OPEN_SHARE[fellowship] else "C")
        else:
            types.append("O")
        types.extend(name_types)
        if attendance != "online" and place.accessible:
            types.append("X")
        if "BE" not in types and self.rng.random() < 0.06:
            types.append("BE")
        return tuple(dict.fromkeys(types))

    def online_details(self, metro: Metro) -> tuple[str, str, str, str]:
        """(conference URL, its notes, one-tap phone, its notes) of a room that cannot exist.

        The link is on the reserved example.com domain (RFC 2606) and the phone is the
        metro's fictional 555-01xx number, so a tap can never join a stranger's real meeting.
        """
        meeting_id = str(self.rng.randrange(10**9, 10**11))
        spaced = f"{meeting_id[:3]} {meeting_id[3:7]} {meeting_id[7:]}"
        url, url_notes = f"{DEMO_JOIN_BASE}{meeting_id}", self.rng.choice(vocab.ONLINE_NOTES)
        if self.rng.random() < 0.35:
            return url, url_notes, "", ""
        return url, url_notes, f"{metro.dial_in},,{meeting_id}#", f"Meeting ID {spaced}"

    def add_meeting(self, plan: _Plan, day: int) -> None:
        types = plan.types
        formats = vocab.FORMATS[plan.fellowship]
        if not set(types) & {code for code, _ in formats} and self.rng.random() < 0.8:
            types = (*types, _weighted(self.rng, formats))
        seq = len(self.meetings) + 1
        url, url_notes, phone, phone_notes = plan.online
        self.meetings.append(
            DemoMeeting(
                slug=f"demo-{slugify(plan.name)}-{plan.metro.code}-{seq}", name=plan.name,
                fellowship=plan.fellowship, group_key=plan.group_key,
                location_key=plan.location.key, metro=plan.metro.code,
                attendance=plan.attendance, day=day, time=plan.start, end_time=plan.end,
                types=types, notes=self.rng.choice(vocab.MEETING_NOTES),
                conference_url=url, conference_url_notes=url_notes,
                conference_phone=phone, conference_phone_notes=phone_notes,
            )
        )  # fmt: skip
