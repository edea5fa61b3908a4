"""The offline geocoder: US ZIP codes, "City, ST", world cities and "lat,lng" text.

Built on the `zipcodes` package's data, so it needs no network. A ZIP code or a
city typed on its own is found exactly (its centre is what was asked for); a
street address is placed at its ZIP code or city and marked approximate.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

import zipcodes

from finder.geo import country_for_zone, timezone_at
from finder.geocoding.place import Place, parse_latlng
from finder.geocoding.world import find_world_city, places_named, us_place
from finder.places import names_street

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ",
    "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND",
    "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "puerto rico": "PR", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
}  # fmt: skip
STATE_CODES = frozenset(US_STATES.values())
# Names people type for a city that the ZIP data spells otherwise: (city, state).
ALIASES = {
    "nyc": ("new york", "NY"), "new york city": ("new york", "NY"),
    "manhattan": ("new york", "NY"), "la": ("los angeles", "CA"),
    "sf": ("san francisco", "CA"), "philly": ("philadelphia", "PA"),
    "dc": ("washington", "DC"), "washington dc": ("washington", "DC"),
    "vegas": ("las vegas", "NV"), "nola": ("new orleans", "LA"),
}  # fmt: skip
ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
TRAILING_COUNTRY_RE = re.compile(
    # The lookbehind keeps "Columbus" whole: "us" counts only as a word of its own.
    r"[\s,.]*(?:(?<![a-z])(?:usa|us|u\.s\.a?\.?|united states(?: of america)?))?[\s,.]*$",
    re.IGNORECASE,
)
ABBREVIATIONS = (("st ", "saint "), ("ste ", "sainte "), ("ft ", "fort "), ("mt ", "mount "))
# A bare city name is ambiguous when another state's city of that name has at least this share
# of the biggest one's street ZIP codes (Springfield, MA and IL; not Portland, ME beside OR).
AMBIGUOUS_SHARE = 0.3
MAX_CHOICES = 8
# A bare name the ZIP data places in a small town ("Toronto": Toronto, OH; "Harlem": Harlem,
# GA) may mean a bigger place of that name, abroad or a neighbourhood: one of at least this
# many people, bigger than the town, makes the search ask which.
RIVAL_POPULATION = 20_000


def city_key(name: str) -> str:
    """Lower case, punctuation dropped, St./Ft./Mt. spelled out: "St. Louis" -> "saint louis"."""
    key = " ".join(re.sub(r"[^a-z0-9 ]", " ", name.lower()).split())
    for short, long in ABBREVIATIONS:
        if key.startswith(short):
            key = long + key[len(short) :]
    return key


@dataclass(frozen=True)
class CityCentre:
    name: str
    state: str
    latitude: float
    longitude: float
    zip_count: int
    # Street-delivery ZIP codes only: PO boxes and one-building ZIPs make a state capital or a
    # university town look bigger than it is, so this ranks cities closer to their population.
    standard_count: int = 0


@lru_cache(maxsize=1)
def city_index() -> dict[str, dict[str, CityCentre]]:
    """city key -> state -> the median of its active ZIP codes' centres.

    The median, not the mean: a few ZIP codes (PO boxes, unique ZIPs) sit far from
    their city and would drag a mean off into the suburbs.
    """
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    standard: dict[tuple[str, str], int] = defaultdict(int)
    for row in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if not row.get("active") or not row.get("lat"):
            continue
        key = (city_key(row["city"]), row["state"])
        points[key].append((float(row["lat"]), float(row["long"])))
        names.setdefault(key, row["city"].title())
        standard[key] += row.get("zip_code_type") == "STANDARD"
    index: dict[str, dict[str, CityCentre]] = defaultdict(dict)
    for (city, state), pts in points.items():
        lat = statistics.median(p[0] for p in pts)
        lng = statistics.median(p[1] for p in pts)
        index[city][state] = CityCentre(
            names[(city, state)], state, lat, lng, len(pts), standard[(city, state)]
        )
    return dict(index)


def warm() -> None:
    """Build the city index and load the time-zone data now (gunicorn's master, before forking).

    Built lazily, each worker's first "City, ST" search would take seconds.
    """
    city_index()
    places_named("")  # the world cities, which bare names are weighed against
    timezone_at(40.7484, -73.9967)


def find_city(city: str, state: str | None) -> CityCentre | None:
    """A city in a state; without a state, the place of that name with the most ZIP codes."""
    key = city_key(city)
    if key in ALIASES and (state is None or ALIASES[key][1] == state):
        key, state = ALIASES[key]
    by_state = city_index().get(key, {})
    if state is not None:
        return by_state.get(state)
    if not by_state:
        return None
    return max(by_state.values(), key=lambda c: c.zip_count)


def city_choices(city: str) -> list[CityCentre]:
    """The states' cities a bare city name may mean, biggest first; [] when one clearly wins."""
    key = city_key(city)
    if key in ALIASES:
        return []
    ranked = sorted(
        city_index().get(key, {}).values(),
        key=lambda c: (c.standard_count, c.zip_count),
        reverse=True,
    )
    ranked = [c for c in ranked if c.standard_count >= 2]
    if len(ranked) < 2 or ranked[1].standard_count < AMBIGUOUS_SHARE * ranked[0].standard_count:
        return []
    return ranked[:MAX_CHOICES]


def bigger_namesakes(city: str, centre: CityCentre, choices: list[str]) -> list[str]:
    """The choices for a bare city name, with the places of that name bigger than the ZIP
    data's town (abroad, or a neighbourhood it files under another city) first: "Which
    Toronto? Toronto, Canada or Toronto, OH". Unchanged when none is bigger, or when the
    choices already name them (the US Springfields keep their order)."""
    if city_key(city) in ALIASES:
        return choices
    named = places_named(city)
    own = max((c.population for c in named if c.country == "US" and c.region == centre.state),
              default=0)  # fmt: skip
    rivals = [c.label for c in named
              if c.population >= RIVAL_POPULATION and c.population > own
              and not (c.country == "US" and c.region == centre.state)
              and c.label not in choices]  # fmt: skip
    if not rivals:
        return choices
    return list(dict.fromkeys(rivals + (choices or [f"{centre.name}, {centre.state}"])))[
        :MAX_CHOICES
    ]


def state_code(text: str) -> str | None:
    text = text.strip().rstrip(".").strip()
    code = US_STATES.get(text.lower(), text.upper())
    return code if code in STATE_CODES else None


def trailing_zip(text: str) -> tuple[str, bool] | None:
    """The ZIP code at the end of the text, and whether it is all the text.

    Only a ZIP at the end counts: a leading 5-digit number is a house number.
    """
    matches = list(ZIP_RE.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    if TRAILING_COUNTRY_RE.fullmatch(text[last.end() :]) is None:
        return None
    return last.group(1), text[: last.start()].strip(" ,") == ""


def split_city_state(text: str) -> tuple[str, str | None, bool] | None:
    """(city, state or None, whether that is all the text) from an address or place name."""
    text = TRAILING_COUNTRY_RE.sub("", ZIP_RE.sub("", text)).strip(" ,")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) >= 2 and state_code(parts[-1]):
        return parts[-2], state_code(parts[-1]), len(parts) == 2
    # "1904 Walnut St, Philadelphia": a street, then a city with no state or country after it.
    if len(parts) == 2 and names_street(parts[0]) and find_city(parts[-1], None):
        return parts[-1], None, False
    if len(parts) != 1:
        return None
    words = parts[0].split()
    for n in (2, 1):  # "Los Angeles CA", "Raleigh North Carolina"
        if len(words) > n and state_code(" ".join(words[-n:])):
            return " ".join(words[:-n]), state_code(" ".join(words[-n:])), True
    return parts[0], None, True


class OfflineGeocoder:
    """US ZIP codes and places from the zipcodes package, and "lat,lng" text. No network."""

    name = "offline"

    def geocode(self, query: str) -> Place | None:
        text = " ".join(query.split())
        point = parse_latlng(text)
        if point:
            label = f"{point[0]:.5f}, {point[1]:.5f}"
            return Place(*point, label, country=country_for_zone(timezone_at(*point)))
        found_zip = trailing_zip(text)
        if found_zip:
            place = self._zip(found_zip[0])
            if place:
                return place if found_zip[1] else replace(place, approximate=True)
        return self._city(text) or self._world(text)

    def _world(self, text: str) -> Place | None:
        """A city elsewhere in the world; never for text naming a US state (a US place)."""
        parsed = split_city_state(text)
        if parsed is not None and parsed[1] is not None:
            return None
        return find_world_city(text)

    def _zip(self, code: str) -> Place | None:
        try:
            rows = zipcodes.matching(code)  # type: ignore[no-untyped-call]
        except (TypeError, ValueError):
            return None
        rows = [r for r in rows if r.get("lat") and r.get("long")]
        if not rows:
            return None
        row = rows[0]
        label = f"{row['city'].title()}, {row['state']} {row['zip_code']}"
        return Place(float(row["lat"]), float(row["long"]), label, country="US")

    def _city(self, text: str) -> Place | None:
        parsed = split_city_state(text)
        if parsed is None:
            return None
        city, state, whole = parsed
        centre = find_city(city, state)
        if centre is None:
            known = us_place(city, state) if state is not None else None
            if known is None:
                return None
            return Place(known.latitude, known.longitude, known.label, approximate=not whole,
                         country="US")  # fmt: skip
        label = f"{centre.name}, {centre.state}"
        choices = (
            [f"{c.name}, {c.state}" for c in city_choices(city)] if whole and state is None else []
        )
        if whole and state is None:
            choices = bigger_namesakes(city, centre, choices)
        return Place(
            centre.latitude,
            centre.longitude,
            label,
            approximate=not whole,
            country="US",
            choices=tuple(choices),
        )
