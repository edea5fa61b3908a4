"""Reading the search page's GET parameters: validated values, or messages saying what is wrong."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from finder.i18n import gettext as _
from finder.nearby import SORTS, Filters, today_cut, today_days
from finder.request_args import Collected, read_filters
from finder.text import name_words

RADIUS_CHOICES = (1, 2, 5, 10, 25, 50, 100, 250)
DEFAULT_RADIUS = 10
# Coordinates from "Use my location" are kept to 3 decimals (about 110 m), never a home address.
COORD_DECIMALS = 3
# C0 and C1 controls, DEL, and the bidirectional overrides that can disguise echoed text.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PER_PAGE = 25
# ?page=all: every result on one page, to print (a sponsor's paper list must not stop at 25).
ALL_PAGES = 0
ALL_LIMIT = 200
MAX_PAGE = 999_999  # six digits: past the last page, the page says where the results end
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
    name: str = ""
    page: int = 1  # ALL_PAGES (0) for ?page=all
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def all_pages(self) -> bool:
        return self.page == ALL_PAGES

    @property
    def offset(self) -> int:
        return 0 if self.all_pages else (self.page - 1) * PER_PAGE

    @property
    def limit(self) -> int:
        return ALL_LIMIT if self.all_pages else PER_PAGE

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
        `today_ends` (midnight where the search is; with "Night", 5 am after it).
        """
        return Filters(
            days=today_days(self.days, today, self.times),
            times_of_day=frozenset(self.times),
            types=frozenset(self.types),
            attendance=frozenset(self.attendance),
            fellowships=frozenset(self.fellowships),
            starts_before=today_cut(self.days, self.times, today_ends),
            name=name_words(self.name),
        )

    def url_args(self, **changes: Any) -> dict[str, Any]:
        """Parameters for url_for that reproduce this search, defaults left out."""
        query = replace(self, **changes)
        args: dict[str, Any] = {}
        if query.near:
            args["near"] = query.near
        elif query.by_coordinates:
            args["lat"], args["lng"] = coordinate_text(query.lat), coordinate_text(query.lng)
        if query.name:
            args["name"] = query.name
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
            args["page"] = "all" if query.all_pages else query.page
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
        raw,
        allowed,
        str(DEFAULT_RADIUS),
        _("Distance must be one of %(choices)s.", choices=choices),
        errors,
    )
    return int(value)


def _page(raw: str | None, errors: list[str]) -> int:
    if raw is None or raw.strip() == "":
        return 1
    value = raw.strip()
    if value.lower() == "all":
        return ALL_PAGES
    # isascii: "²".isdigit() is true, and int() refuses it; a length cap before int().
    if (
        not (value.isascii() and value.isdigit())
        or len(value) > 6
        or not 1 <= int(value) <= MAX_PAGE
    ):
        errors.append(_("The page number must be a whole number, 1 or more."))
        return 1
    return int(value)


def parse_query(args: MultiDict[str, str]) -> SearchQuery:
    """Read a search from GET parameters; every bad value adds a message to `errors`."""
    args = clean_args(args)
    report = Collected()
    near = args.get("near")
    near = " ".join(near.split())[:MAX_NEAR] if near is not None else None
    given = read_filters(args, report, unknown_types=False)
    sort = _choice(args.get("sort"), SORTS, "soonest", _("Sort by soonest or by distance."),
                   report.messages)  # fmt: skip
    radius = _radius(args.get("radius"), report.messages)
    page = _page(args.get("page"), report.messages)
    lat, lng = given.lat, given.lng
    return SearchQuery(
        near=near,
        lat=None if lat is None else round(lat, COORD_DECIMALS),
        lng=None if lng is None else round(lng, COORD_DECIMALS),
        radius=radius,
        sort=sort,
        days=given.days,
        times=given.times,
        types=given.types,
        attendance=given.attendance,
        fellowships=given.fellowships,
        name=given.name,
        page=page,
        errors=tuple(report.messages),
    )
