"""The US metros demo meetings are spread over, with their real ZIP codes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

from finder.geo import haversine_km


@dataclass(frozen=True)
class Metro:
    """A metro: its centre, share of meetings, how fast meetings thin out, and a dial-in.

    Dial-ins are fictional: the metro's area code with a number from 555-0100..0199,
    the range reserved for fiction, so a tap on "Call" can never reach anyone.
    """

    code: str
    city: str
    state: str
    latitude: float
    longitude: float
    timezone: str
    share: float
    states: tuple[str, ...]
    falloff_km: float = 10.0
    radius_km: float = 40.0
    dial_in: str = "+12125550100"


@dataclass(frozen=True)
class Zip:
    """A real ZIP code with its post-office city and centre point."""

    code: str
    city: str
    state: str
    latitude: float
    longitude: float
    weight: float


METROS: tuple[Metro, ...] = (
    Metro("nyc", "New York", "NY", 40.7549, -73.9840, "America/New_York", 0.20,
          ("NY", "NJ"), falloff_km=8.0, radius_km=35.0),
    Metro("la", "Los Angeles", "CA", 34.0522, -118.2437, "America/Los_Angeles", 0.11,
          ("CA",), falloff_km=14.0, radius_km=45.0, dial_in="+12135550101"),
    Metro("chi", "Chicago", "IL", 41.8781, -87.6298, "America/Chicago", 0.09,
          ("IL",), dial_in="+13125550102"),
    Metro("hou", "Houston", "TX", 29.7604, -95.3698, "America/Chicago", 0.06,
          ("TX",), falloff_km=12.0, dial_in="+17135550103"),
    Metro("phx", "Phoenix", "AZ", 33.4484, -112.0740, "America/Phoenix", 0.05,
          ("AZ",), falloff_km=12.0, dial_in="+16025550104"),
    Metro("phl", "Philadelphia", "PA", 39.9526, -75.1652, "America/New_York", 0.07,
          ("PA", "NJ"), dial_in="+12155550105"),
    Metro("sat", "San Antonio", "TX", 29.4241, -98.4936, "America/Chicago", 0.04,
          ("TX",), dial_in="+12105550106"),
    Metro("sd", "San Diego", "CA", 32.7157, -117.1611, "America/Los_Angeles", 0.05,
          ("CA",), dial_in="+16195550107"),
    Metro("dfw", "Dallas", "TX", 32.7767, -96.7970, "America/Chicago", 0.06,
          ("TX",), falloff_km=12.0, dial_in="+12145550108"),
    Metro("den", "Denver", "CO", 39.7392, -104.9903, "America/Denver", 0.05,
          ("CO",), dial_in="+13035550109"),
    Metro("sea", "Seattle", "WA", 47.6062, -122.3321, "America/Los_Angeles", 0.05,
          ("WA",), dial_in="+12065550110"),
    Metro("bos", "Boston", "MA", 42.3601, -71.0589, "America/New_York", 0.06,
          ("MA",), dial_in="+16175550111"),
    Metro("atl", "Atlanta", "GA", 33.7490, -84.3880, "America/New_York", 0.05,
          ("GA",), dial_in="+14045550112"),
    Metro("mia", "Miami", "FL", 25.7617, -80.1918, "America/New_York", 0.06,
          ("FL",), dial_in="+13055550113"),
)  # fmt: skip


@lru_cache(maxsize=1)
def _standard_zips() -> tuple[dict[str, str], ...]:
    rows = zipcodes.list_all()  # type: ignore[no-untyped-call]
    found = [r for r in rows if r["zip_code_type"] == "STANDARD" and r["lat"] and r["active"]]
    return tuple(sorted(found, key=lambda r: r["zip_code"]))


@lru_cache(maxsize=32)
def metro_zips(metro: Metro) -> tuple[Zip, ...]:
    """The metro's ZIPs, sorted by code, weighted so meetings thin out away from the centre."""
    zips: list[Zip] = []
    for row in _standard_zips():
        if row["state"] not in metro.states:
            continue
        lat, lng = float(row["lat"]), float(row["long"])
        distance = haversine_km(metro.latitude, metro.longitude, lat, lng)
        if distance <= metro.radius_km:
            weight = math.exp(-distance / metro.falloff_km)
            zips.append(Zip(row["zip_code"], row["city"], row["state"], lat, lng, weight))
    return tuple(zips)
