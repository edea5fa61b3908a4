"""The search filter vocabulary read from a query string: one parser for the API and the pages.

Both read the same parameters (lat/lng, day, time, type, attendance, fellowship, name)
with the same rules; only the reporting differs. Each problem carries two wordings: the
API answers the first one as a JSON 400 naming the parameter (`raise_first`), the pages
collect plain sentences to show above the form (`Collected`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MultiDict

from finder.catalog import EXTRA_TYPES, FELLOWSHIP_NAMES, type_codes
from finder.i18n import gettext as _
from finder.i18n import lazy_gettext
from finder.nearby import ATTENDANCE_OPTIONS
from finder.schedule import TIME_OF_DAY_KEYS

DAY_VALUES = ("any", "today", "tomorrow", "0", "1", "2", "3", "4", "5", "6")
TYPE_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
MAX_NAME = 100

COORDINATES_HELP = lazy_gettext(
    "That location isn't valid: latitude must be a number from -90 to 90 and "
    "longitude a number from -180 to 180. Type a ZIP code or city instead."
)


@dataclass(frozen=True)
class Problem:
    """A parameter that cannot be used: the API's wording and the page's."""

    param: str
    api: str
    page: str


Report = Callable[[Problem], None]


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message says which one and why."""


def raise_first(problem: Problem) -> None:
    """The API's way: the first problem is the answer."""
    raise BadParameter(problem.api)


def one_place(near: str, choices: tuple[str, ...]) -> None:
    """A near= that fits several places ("Springfield") is refused: the pages ask which
    one, and an answer for a program must not guess."""
    if len(choices) > 1:
        raise BadParameter(
            f"near={near!r} fits several places ({'; '.join(choices[:5])}); "
            f"add the state, for example near={choices[0]!r}."
        )


class Collected:
    """The pages' way: every problem's sentence, each once, in order."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, problem: Problem) -> None:
        if problem.page not in self.messages:
            self.messages.append(problem.page)


@dataclass(frozen=True)
class FilterArgs:
    """The filter parameters as read: lower-case choices, canonical type codes."""

    lat: float | None = None
    lng: float | None = None
    days: tuple[str, ...] = ()  # "any" dropped: it is no filter
    times: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    attendance: tuple[str, ...] = ()
    fellowships: tuple[str, ...] = ()
    name: str = ""  # as typed, spaces collapsed; Filters get name_words(name)


def show(raw: str) -> str:
    """A value quoted for an API message, shortened."""
    return repr(raw if len(raw) <= 40 else raw[:40] + "…")


# A number as people write it: digits 0-9, one point, an exponent (what the pages' forms send).
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def finite_number(name: str, raw: str) -> tuple[float | None, str]:
    """A parameter read as a finite number: (value, "") or (None, what is wrong, for the API)."""
    try:
        value = float(raw)
    except ValueError:
        return None, f"{name} must be a number, not {show(raw)}."
    if not math.isfinite(value):
        return None, f"{name} must be a finite number, not {show(raw)}."
    if not DECIMAL.fullmatch(raw.strip()):  # float() also takes 1_0 and other scripts' digits
        return None, f"{name} must be a number, not {show(raw)}."
    return value, ""


def _coordinate(args: MultiDict[str, str], name: str, limit: int) -> Problem | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    value, wrong = finite_number(name, raw)
    if value is None:
        return Problem(name, wrong, str(COORDINATES_HELP))
    if not -limit <= value <= limit:
        api = f"{name} must be between -{limit} and {limit}, not {value:g}."
        return Problem(name, api, str(COORDINATES_HELP))
    return None


Point = tuple[float | None, float | None]


def _given(args: MultiDict[str, str], name: str) -> float | None:
    raw = (args.get(name) or "").strip()
    return float(raw) if raw else None


def read_coordinates(args: MultiDict[str, str], report: Report) -> Point:
    """lat and lng, both or neither, in range."""
    for name, limit in (("lat", 90), ("lng", 180)):
        problem = _coordinate(args, name, limit)
        if problem is not None:
            report(problem)
            return None, None
    lat, lng = _given(args, "lat"), _given(args, "lng")
    if (lat is None) != (lng is None):
        missing, given = ("lng", "lat") if lng is None else ("lat", "lng")
        report(Problem(missing, f"{given} needs {missing} too: give both lat and lng.",
                       str(COORDINATES_HELP)))  # fmt: skip
        return None, None
    return lat, lng


def _many(
    args: MultiDict[str, str],
    key: str,
    allowed: tuple[str, ...],
    problem: Callable[[str], Problem],
    report: Report,
) -> tuple[str, ...]:
    """Repeated values, lower-cased and deduplicated in order; a value outside `allowed`
    is reported and the parameter dropped."""
    values: list[str] = []
    for raw in args.getlist(key):
        value = raw.strip().lower()
        if not value:
            continue
        if value not in allowed:
            report(problem(value))
            return ()
        if value not in values:
            values.append(value)
    return tuple(values)


def known_type_codes() -> set[str]:
    return set(type_codes()) | set(EXTRA_TYPES)


@lru_cache(maxsize=1)
def _codes_by_upper() -> dict[str, str]:
    """Each known type code by its upper-case spelling (the list is fixed: made once)."""
    return {c.upper(): c for c in known_type_codes()}


def read_types(args: MultiDict[str, str], report: Report, *, unknown: bool) -> tuple[str, ...]:
    """Type codes in types.json's spelling (o -> O); with `unknown`, codes outside
    types.json are kept as given (real feeds carry them) if they look like a code."""
    by_upper = _codes_by_upper()
    values: list[str] = []
    for raw in args.getlist("type"):
        value = raw.strip()
        if not value:
            continue
        if not (by_upper.get(value.upper()) or (unknown and TYPE_CODE_RE.match(value))):
            report(Problem(
                "type",
                f"type must be a meeting type code such as O, C or W, not {show(value)} "
                "(repeat type for more than one: type=O&type=W).",
                _("We don't know that meeting type. Pick types from the list."),
            ))  # fmt: skip
            return ()
        code = by_upper.get(value.upper(), value)
        if code not in values:
            values.append(code)
    return tuple(values)


def read_name(args: MultiDict[str, str], report: Report) -> str:
    """The meeting or group name searched for, spaces collapsed; at most MAX_NAME long."""
    name = " ".join((args.get("name") or "").split())
    if len(name) > MAX_NAME:
        report(Problem(
            "name",
            f"name must be at most {MAX_NAME} characters long.",
            _("A meeting name to search for can be at most %(n)s characters long.", n=MAX_NAME),
        ))  # fmt: skip
        return ""
    return name


def _choice_problem(
    key: str, allowed: tuple[str, ...], page: Callable[[], str]
) -> Callable[[str], Problem]:
    """The problem of a value not allowed. The page's words are looked up only when there
    is one: an answer with no problem and no words (the API's) never loads a catalog."""
    return lambda value: Problem(
        key, f"{key} must be one of {', '.join(allowed)}, not {show(value)}.", page()
    )


def read_fellowships(args: MultiDict[str, str], report: Report) -> tuple[str, ...]:
    """Fellowship codes (aa, na...), lower-cased, each once."""
    codes = tuple(FELLOWSHIP_NAMES)
    return _many(args, "fellowship", codes, _choice_problem(
        "fellowship", codes, lambda: _("We don't know that fellowship. Pick one from the list."),
    ), report)  # fmt: skip


def read_filters(args: MultiDict[str, str], report: Report, *, unknown_types: bool) -> FilterArgs:
    """Every filter parameter, each problem reported through `report`."""
    lat, lng = read_coordinates(args, report)
    days = _many(args, "day", DAY_VALUES, lambda value: Problem(
        "day",
        f"day must be today, tomorrow, any or 0-6 (Sunday=0), not {value!r}",
        _("Day must be any, today, tomorrow or a weekday."),
    ), report)  # fmt: skip
    times = _many(args, "time", TIME_OF_DAY_KEYS, _choice_problem(
        "time", TIME_OF_DAY_KEYS,
        lambda: _("Time of day must be morning, midday, afternoon, evening or night."),
    ), report)  # fmt: skip
    types = read_types(args, report, unknown=unknown_types)
    attendance = _many(args, "attendance", ATTENDANCE_OPTIONS, _choice_problem(
        "attendance", ATTENDANCE_OPTIONS,
        lambda: _("Attendance must be in person, online or hybrid."),
    ), report)  # fmt: skip
    fellowships = read_fellowships(args, report)
    return FilterArgs(
        lat=lat,
        lng=lng,
        days=tuple(d for d in days if d != "any"),
        times=times,
        types=types,
        attendance=attendance,
        fellowships=fellowships,
        name=read_name(args, report),
    )
