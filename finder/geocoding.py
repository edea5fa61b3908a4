"""Geocoding: the Geocoder protocol, the geopy-backed online geocoder, the offline one, the cache.

`locate()` is the one entry point: coordinates typed as text are read directly,
then the online provider (through the database cache) is asked, and when it is
unreachable or slow the offline geocoder answers and the result is marked
approximate.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any, Protocol

import zipcodes
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finder.geo import country_for_zone, timezone_at, valid_coordinates
from finder.models import GeocodeCache

log = logging.getLogger(__name__)

US_STATES = {
    "alabama": "AL",
    "alaska": "AK",
    "arizona": "AZ",
    "arkansas": "AR",
    "california": "CA",
    "colorado": "CO",
    "connecticut": "CT",
    "delaware": "DE",
    "district of columbia": "DC",
    "florida": "FL",
    "georgia": "GA",
    "hawaii": "HI",
    "idaho": "ID",
    "illinois": "IL",
    "indiana": "IN",
    "iowa": "IA",
    "kansas": "KS",
    "kentucky": "KY",
    "louisiana": "LA",
    "maine": "ME",
    "maryland": "MD",
    "massachusetts": "MA",
    "michigan": "MI",
    "minnesota": "MN",
    "mississippi": "MS",
    "missouri": "MO",
    "montana": "MT",
    "nebraska": "NE",
    "nevada": "NV",
    "new hampshire": "NH",
    "new jersey": "NJ",
    "new mexico": "NM",
    "new york": "NY",
    "north carolina": "NC",
    "north dakota": "ND",
    "ohio": "OH",
    "oklahoma": "OK",
    "oregon": "OR",
    "pennsylvania": "PA",
    "puerto rico": "PR",
    "rhode island": "RI",
    "south carolina": "SC",
    "south dakota": "SD",
    "tennessee": "TN",
    "texas": "TX",
    "utah": "UT",
    "vermont": "VT",
    "virginia": "VA",
    "washington": "WA",
    "west virginia": "WV",
    "wisconsin": "WI",
    "wyoming": "WY",
}
STATE_CODES = set(US_STATES.values())

LATLNG_RE = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
ZIP_RE = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
CITY_STATE_RE = re.compile(r"([A-Za-z][A-Za-z .'\-]*?)\s*,?\s+([A-Za-z][A-Za-z ]*?)\.?\s*$")
MAX_QUERY = 200


@dataclass(frozen=True)
class Place:
    """A point found for a query, with a label to show and its country and zone."""

    latitude: float
    longitude: float
    label: str
    approximate: bool = False
    country: str = ""

    @property
    def timezone(self) -> str:
        return timezone_at(self.latitude, self.longitude)


class GeocoderUnavailable(Exception):
    """The online provider could not answer (network down, timeout, quota)."""


class PlaceNotFound(ValueError):
    """Nothing matched; the message says what to try."""


class Geocoder(Protocol):
    name: str

    def geocode(self, query: str) -> Place | None:
        """A place for the query, None when there is none; GeocoderUnavailable when unreachable."""
        ...


def normalize(query: str) -> str:
    return " ".join(query.lower().replace(",", ", ").split()).replace(" ,", ",")[:MAX_QUERY]


def parse_latlng(text: str) -> tuple[float, float] | None:
    match = LATLNG_RE.match(text)
    if not match:
        return None
    lat, lng = float(match.group(1)), float(match.group(2))
    return (lat, lng) if valid_coordinates(lat, lng) else None


class OfflineGeocoder:
    """US ZIP codes and "City, ST" from the zipcodes package, and "lat,lng" text. No network."""

    name = "offline"

    def geocode(self, query: str) -> Place | None:
        text = query.strip()
        point = parse_latlng(text)
        if point:
            return Place(
                point[0],
                point[1],
                f"{point[0]:.5f}, {point[1]:.5f}",
                country=country_for_zone(timezone_at(*point)),
            )
        zip_match = ZIP_RE.search(text)
        if zip_match:
            place = self._zip(zip_match.group(1))
            if place:
                exact = text.replace(" ", "") in {zip_match.group(0), zip_match.group(1)}
                return place if exact else replace(place, approximate=True)
        return self._city(text)

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
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) >= 2:
            city, state = parts[-2], parts[-1]
            exact = len(parts) == 2
        else:
            match = CITY_STATE_RE.match(text)
            if not match:
                return None
            city, state, exact = match.group(1), match.group(2), True
        state_code = US_STATES.get(state.lower().strip(), state.strip().upper())
        if state_code not in STATE_CODES:
            return None
        rows = [
            r
            for r in zipcodes.filter_by(state=state_code, active=True)  # type: ignore[no-untyped-call]
            if r["city"].lower() == city.lower().strip() and r.get("lat")
        ]
        if not rows:
            return None
        lat = sum(float(r["lat"]) for r in rows) / len(rows)
        lng = sum(float(r["long"]) for r in rows) / len(rows)
        label = f"{rows[0]['city'].title()}, {state_code}"
        return Place(lat, lng, label, approximate=not exact, country="US")


class GeopyGeocoder:
    """An online provider through geopy, rate limited, with a short timeout."""

    def __init__(
        self, provider: str, *, timeout: float = 3.0, min_delay: float = 1.0, **options: Any
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import get_geocoder_for_service

        self.name = provider
        cls = get_geocoder_for_service(provider)
        self._geocoder = cls(timeout=timeout, **{k: v for k, v in options.items() if v})
        self._geocode = RateLimiter(
            self._geocoder.geocode,
            min_delay_seconds=min_delay,
            max_retries=0,
            swallow_exceptions=False,
        )

    def geocode(self, query: str) -> Place | None:
        from geopy.exc import GeopyError

        try:
            found = self._geocode(query, exactly_one=True)
        except GeopyError as exc:
            raise GeocoderUnavailable(str(exc)) from exc
        except OSError as exc:
            raise GeocoderUnavailable(str(exc)) from exc
        if found is None:
            return None
        lat, lng = float(found.latitude), float(found.longitude)
        return Place(lat, lng, str(found.address), country=country_for_zone(timezone_at(lat, lng)))


def cached_geocode(session: Session, geocoder: Geocoder, query: str) -> Place | None:
    """Ask the geocoder once per normalised query; every answer is kept in the database."""
    key = normalize(query)
    row = session.scalars(select(GeocodeCache).where(GeocodeCache.query == key)).first()
    if row is not None:
        if not row.found or row.latitude is None or row.longitude is None:
            return None
        return Place(row.latitude, row.longitude, row.label, row.approximate, row.country)
    place = geocoder.geocode(" ".join(query.split()))
    row = GeocodeCache(query=key, provider=geocoder.name, found=place is not None)
    if place is not None:
        row.latitude, row.longitude, row.label = place.latitude, place.longitude, place.label
        row.country, row.approximate = place.country, place.approximate
    try:
        with session.begin_nested():
            session.add(row)
        session.commit()
    except IntegrityError:  # another request cached it first
        session.rollback()
    return place


def locate(
    session: Session, query: str, online: Geocoder | None, offline: Geocoder | None = None
) -> Place:
    """The place for what someone typed, or PlaceNotFound saying what to try."""
    text = " ".join(query.split())[:MAX_QUERY]
    if not text:
        raise PlaceNotFound("Enter a ZIP code, a city and state, or an address.")
    offline = offline or OfflineGeocoder()
    point = parse_latlng(text)
    if point is not None:
        place = offline.geocode(text)
        if place:
            return place
    if online is not None:
        try:
            place = cached_geocode(session, online, text)
        except GeocoderUnavailable as exc:
            # The error text may hold the request URL, and so the query: log only its kind.
            log.warning(
                "online geocoder %s unavailable (%s)",
                online.name,
                type(exc.__cause__ or exc).__name__,
            )
            place = offline.geocode(text)
            if place is not None:
                return replace(place, approximate=True)
        else:
            if place is not None:
                return place
    place = offline.geocode(text)
    if place is not None:
        return place
    raise PlaceNotFound(
        f"We couldn't find “{text}”. Try a 5-digit ZIP code (like 10001), "
        "a city and state (like Austin, TX), or tap “Use my location”."
    )


def build_online_geocoder(config: dict[str, Any]) -> Geocoder | None:
    """The online geocoder the configuration names, or None for offline only."""
    provider = str(config.get("GEOCODER") or "offline")
    if provider == "offline":
        return None
    options: dict[str, Any] = {}
    if provider == "nominatim":
        agent = config.get("GEOCODER_USER_AGENT")
        if not agent:
            raise ValueError("GEOCODER=nominatim needs GEOCODER_USER_AGENT (a real contact)")
        options["user_agent"] = agent
        options["domain"] = config.get("GEOCODER_DOMAIN") or None
    else:
        options["api_key"] = config.get("GEOCODER_API_KEY") or None
        options["user_agent"] = config.get("GEOCODER_USER_AGENT") or None
        options["domain"] = config.get("GEOCODER_DOMAIN") or None
    return GeopyGeocoder(
        provider,
        timeout=float(config.get("GEOCODER_TIMEOUT", 3)),
        min_delay=float(config.get("GEOCODER_MIN_DELAY", 1)),
        **options,
    )
