"""Reading the search page's GET parameters: validated values, or messages saying what is wrong."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from finder.catalog import EXTRA_TYPES, FELLOWSHIP_NAMES, type_codes
from finder.nearby import ATTENDANCE_OPTIONS, SORTS, Filters, parse_days
from finder.schedule import TIME_OF_DAY_KEYS

RADIUS_CHOICES = (1, 2, 5, 10, 25, 50, 100, 250)
DEFAULT_RADIUS = 10
# Coordinates from "Use my location" are kept to 3 decimals (about 110 m), never a home address.
COORD_DECIMALS = 3
# C0 and C1 controls, DEL, and the bidirectional overrides that can disguise echoed text.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PER_PAGE = 25
MAX_PAGE = 10_000
MAX_NEAR = 200
# The types offered as checkboxes; any official code still works in the URL.
USEFUL_TYPES = (
    "O",
    "C",
    "BE",
    "D",
    "SP",
    "ST",
    "B",
    "W",
    "M",
    "LGBTQ",
    "Y",
    "S",
    "MED",
    "ASL",
    "X",
)
DAY_VALUES = ("any", "today", "tomorrow", "0", "1", "2", "3", "4", "5", "6")


@dataclass(frozen=True)
class SearchQuery:
    """A search as the URL describes it; `errors` lists what could not be read."""

    near: str | None = None
    lat: float | None = None
    lng: float | None = None
    radius: int = DEFAULT_RADIUS
    sort: str = "soonest"
    days: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    attendance: tuple[str, ...] = ()
    fellowships: tuple[str, ...] = ()
    page: int = 1
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def by_coordinates(self) -> bool:
        """Coordinates are used when no place text was typed."""
        return not self.near and self.lat is not None and self.lng is not None

    @property
    def has_location(self) -> bool:
        return bool(self.near) or self.by_coordinates

    @property
    def anywhere_online(self) -> bool:
        """No place, but only online meetings asked for: search everywhere."""
        return (
            not self.has_location and bool(self.attendance) and set(self.attendance) == {"online"}
        )

    @property
    def filter_count(self) -> int:
        """How many filters narrow the search (for the Filters summary)."""
        day = 1 if self.days else 0
        return (
            day + len(self.times) + len(self.types) + len(self.attendance) + len(self.fellowships)
        )

    def filters(self, today: int, today_ends: dt.datetime | None = None) -> Filters:
        """The nearby query's filters; `today` is 0=Sunday..6 in the search center's zone.

        "Today" means what is still to come today: in progress, or starting before
        `today_ends` (midnight where the search is).
        """
        return Filters(
            days=parse_days(self.days, today),
            times_of_day=frozenset(self.times),
            types=frozenset(self.types),
            attendance=frozenset(self.attendance),
            fellowships=frozenset(self.fellowships),
            starts_before=today_ends if self.days == ("today",) else None,
        )

    def url_args(self, **changes: Any) -> dict[str, Any]:
        """Parameters for url_for that reproduce this search, defaults left out."""
        query = replace(self, **changes)
        args: dict[str, Any] = {}
        if query.near:
            args["near"] = query.near
        elif query.by_coordinates:
            args["lat"], args["lng"] = coordinate_text(query.lat), coordinate_text(query.lng)
        if query.radius != DEFAULT_RADIUS:
            args["radius"] = query.radius
        if query.sort != "soonest":
            args["sort"] = query.sort
        for key, values in (
            ("day", query.days),
            ("time", query.times),
            ("type", query.types),
            ("attendance", query.attendance),
            ("fellowship", query.fellowships),
        ):
            if values:
                args[key] = list(values)
        if query.page != 1:
            args["page"] = query.page
        return args


def coordinate_text(value: float | None) -> str:
    """A latitude or longitude as links and forms carry it: 3 decimals, about 110 m."""
    return f"{value or 0.0:.{COORD_DECIMALS}f}"


def strip_controls(text: str) -> str:
    """The text without control characters; tabs and line breaks become spaces."""
    return CONTROL_CHARS.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)


def clean_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """Every parameter value with control characters removed, before any use or echo."""
    return MultiDict([(key, strip_controls(value)) for key, value in args.items(multi=True)])


def too_precise(args: MultiDict[str, str]) -> bool:
    """Whether lat or lng carry more than 3 decimals (an exact position to be rounded)."""
    numbers = (_float(args.get(key)) for key in ("lat", "lng"))
    return any(
        n is not None and math.isfinite(n) and round(n, COORD_DECIMALS) != n for n in numbers
    )


def _float(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        return math.nan
    return number


def _coordinates(args: MultiDict[str, str], errors: list[str]) -> tuple[float | None, float | None]:
    lat, lng = _float(args.get("lat")), _float(args.get("lng"))
    if lat is None and lng is None:
        return None, None
    if (
        lat is None
        or lng is None
        or not (math.isfinite(lat) and math.isfinite(lng))
        or not (-90 <= lat <= 90 and -180 <= lng <= 180)
    ):
        errors.append(
            "That location isn't valid: latitude must be a number from -90 to 90 and "
            "longitude a number from -180 to 180. Type a ZIP code or city instead."
        )
        return None, None
    return round(lat, COORD_DECIMALS), round(lng, COORD_DECIMALS)


def _choice(
    raw: str | None, choices: tuple[str, ...], default: str, message: str, errors: list[str]
) -> str:
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        errors.append(message)
        return default
    return value


def _radius(raw: str | None, errors: list[str]) -> int:
    allowed = tuple(str(r) for r in RADIUS_CHOICES)
    choices = ", ".join(allowed)
    value = _choice(
        raw, allowed, str(DEFAULT_RADIUS), f"Distance must be one of {choices}.", errors
    )
    return int(value)


def _page(raw: str | None, errors: list[str]) -> int:
    if raw is None or raw.strip() == "":
        return 1
    value = raw.strip()
    # isascii: "²".isdigit() is true, and int() refuses it; a length cap before int().
    if (
        not (value.isascii() and value.isdigit())
        or len(value) > 6
        or not 1 <= int(value) <= MAX_PAGE
    ):
        errors.append("The page number must be a whole number, 1 or more.")
        return 1
    return int(value)


def _many(
    args: MultiDict[str, str],
    key: str,
    allowed: set[str],
    message: str,
    errors: list[str],
    *,
    upper: bool = False,
) -> tuple[str, ...]:
    """Repeated values, deduplicated in order; any value outside `allowed` is an error."""
    values: list[str] = []
    for raw in args.getlist(key):
        value = raw.strip().upper() if upper else raw.strip().lower()
        if not value:
            continue
        if value not in allowed:
            errors.append(message)
            return ()
        if value not in values:
            values.append(value)
    return tuple(values)


def known_type_codes() -> set[str]:
    return set(type_codes()) | set(EXTRA_TYPES)


def parse_query(args: MultiDict[str, str]) -> SearchQuery:
    """Read a search from GET parameters; every bad value adds a message to `errors`."""
    args = clean_args(args)
    errors: list[str] = []
    near = args.get("near")
    near = " ".join(near.split())[:MAX_NEAR] if near is not None else None
    lat, lng = _coordinates(args, errors)
    sort = _choice(args.get("sort"), SORTS, "soonest", "Sort by soonest or by distance.", errors)
    days = _many(
        args, "day", set(DAY_VALUES), "Day must be any, today, tomorrow or a weekday.", errors
    )
    times = _many(
        args,
        "time",
        set(TIME_OF_DAY_KEYS),
        "Time of day must be morning, midday, afternoon, evening or night.",
        errors,
    )
    types = _many(
        args,
        "type",
        {c.upper() for c in known_type_codes()},
        "We don't know that meeting type. Pick types from the list.",
        errors,
        upper=True,
    )
    attendance = _many(
        args,
        "attendance",
        set(ATTENDANCE_OPTIONS),
        "Attendance must be in person, online or hybrid.",
        errors,
    )
    fellowships = _many(
        args,
        "fellowship",
        set(FELLOWSHIP_NAMES),
        "We don't know that fellowship. Pick one from the list.",
        errors,
    )
    return SearchQuery(
        near=near,
        lat=lat,
        lng=lng,
        radius=_radius(args.get("radius"), errors),
        sort=sort,
        days=tuple(d for d in days if d != "any"),  # "any" is the same as no day
        times=times,
        types=_canonical_types(types),
        attendance=attendance,
        fellowships=fellowships,
        page=_page(args.get("page"), errors),
        errors=tuple(errors),
    )


def _canonical_types(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Type codes as types.json spells them ("12x12", not "12X12")."""
    by_upper = {c.upper(): c for c in known_type_codes()}
    return tuple(by_upper[c] for c in codes)
