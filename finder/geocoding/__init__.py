"""Geocoding: the Geocoder protocol, the geopy-backed online geocoder, the offline one, the cache.

`locate()` is the one entry point: coordinates typed as text are read directly,
then the online provider (through the database cache) is asked, and when it is
unreachable or slow the offline geocoder answers and the result is marked
approximate.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finder.geo import country_for_zone, timezone_at
from finder.geocoding.offline import OfflineGeocoder
from finder.geocoding.place import Place, parse_latlng
from finder.kept_answers import do_not_keep
from finder.models import GeocodeCache

__all__ = [
    "Geocoder",
    "GeocoderUnavailable",
    "GeopyGeocoder",
    "OfflineGeocoder",
    "Place",
    "PlaceNotFound",
    "build_online_geocoder",
    "cached_geocode",
    "locate",
    "parse_latlng",
]

log = logging.getLogger(__name__)

MAX_QUERY = 200


class GeocoderUnavailable(Exception):
    """The online provider could not answer (network down, timeout, quota)."""


class PlaceNotFound(ValueError):
    """Nothing matched; the message says what to try (to a person), `query` what was asked."""

    def __init__(self, message: str, query: str = "") -> None:
        super().__init__(message)
        self.query = query


class Geocoder(Protocol):
    name: str

    def geocode(self, query: str) -> Place | None:
        """A place for the query, None when there is none; GeocoderUnavailable when unreachable."""
        ...


def normalize(query: str) -> str:
    return " ".join(query.lower().replace(",", ", ").split()).replace(" ,", ",")[:MAX_QUERY]


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
            do_not_keep()  # a guess while the geocoder is down: ask it again next time
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
        "a city and state (like Austin, TX), or tap “Use my location”.",
        query=text,
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
            from finder.config import ConfigError

            raise ConfigError("GEOCODER=nominatim needs GEOCODER_USER_AGENT (a real contact).")
        options["user_agent"] = agent
        options["domain"] = config.get("GEOCODER_DOMAIN") or None
    else:
        options["api_key"] = config.get("GEOCODER_API_KEY") or None
        options["user_agent"] = config.get("GEOCODER_USER_AGENT") or None
        options["domain"] = config.get("GEOCODER_DOMAIN") or None
    from geopy.exc import GeocoderNotFound

    from finder.config import ConfigError

    try:
        return GeopyGeocoder(
            provider,
            timeout=float(config.get("GEOCODER_TIMEOUT", 3)),
            min_delay=float(config.get("GEOCODER_MIN_DELAY", 1)),
            **options,
        )
    except GeocoderNotFound:
        raise ConfigError(
            f"GEOCODER={provider!r} is not a geocoder geopy knows: use offline, nominatim "
            "or a geopy service name such as photon or arcgis."
        ) from None
