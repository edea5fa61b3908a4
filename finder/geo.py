"""Distances, bounding boxes, time zones and countries from coordinates, all offline."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def valid_coordinates(lat: float, lng: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


@lru_cache(maxsize=1)
def _finder() -> object:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


@lru_cache(maxsize=4096)
def timezone_at(lat: float, lng: float) -> str:
    """The IANA zone at a point (offline); "UTC" where none is known."""
    name = _finder().timezone_at(lat=lat, lng=lng)  # type: ignore[attr-defined]
    return str(name) if name else "UTC"


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    mapping: dict[str, str] = {}
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            mapping[parts[2]] = parts[0]
    return mapping


def country_for_zone(tz_name: str) -> str:
    """ISO country code of a zone from tzdata's zone.tab ("" when none)."""
    return _zone_countries().get(tz_name, "")


def uses_miles(country: str) -> bool:
    """Where distances are given in miles: the US and its territories, the UK and its
    Crown dependencies, Liberia and Myanmar; everywhere else in kilometres."""
    return country.upper() in MILES_COUNTRIES


MILES_COUNTRIES = frozenset(
    {"US", "PR", "GU", "VI", "AS", "MP", "UM", "GB", "IM", "JE", "GG", "LR", "MM"}
)
