"""Geocoding: offline answers, the database cache, fallback when the online provider is down."""

from __future__ import annotations

import pytest
from geopy.exc import GeocoderTimedOut
from geopy.exc import GeocoderUnavailable as GeopyUnavailable
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.config import ConfigError
from finder.geo import haversine_km
from finder.geocoding import (
    GeocoderUnavailable,
    GeopyGeocoder,
    OfflineGeocoder,
    Place,
    PlaceNotFound,
    build_online_geocoder,
    cached_geocode,
    locate,
)
from finder.models import GeocodeCache
from tests.conftest import FakeGeocoder

HERALD_SQUARE = Place(40.7500, -73.9880, "Herald Square, New York, NY, USA", country="US")


@pytest.mark.parametrize(
    ("query", "label", "approximate"),
    [
        ("10001", "New York, NY 10001", False),
        (" 10001-1234 ", "New York, NY 10001", False),
        ("Brooklyn, NY", "Brooklyn, NY", False),
        ("austin tx", "Austin, TX", False),
        ("Philadelphia, Pennsylvania", "Philadelphia, PA", False),
        ("123 Main St, Springfield, IL 62701", "Springfield, IL 62701", True),
        ("500 Elm Street, Austin, TX", "Austin, TX", True),
        # A leading 5-digit number is a house number, not a ZIP code.
        ("20001 N 7th St, Phoenix, AZ 85024", "Phoenix, AZ 85024", True),
        ("20001 N 7th St, Phoenix, AZ", "Phoenix, AZ", True),
        ("10880 Wilshire Blvd, Los Angeles, CA 90024", "Los Angeles, CA 90024", True),
        ("Washington, DC 20001, USA", "Washington, DC 20001", True),
        ("10001 USA", "New York, NY 10001", False),
        # What people type: a city alone, no comma, nicknames, abbreviations.
        ("Boston", "Boston, MA", False),
        ("Chicago", "Chicago, IL", False),
        ("Phoenix", "Phoenix, AZ", False),
        ("New York", "New York, NY", False),
        ("NYC", "New York, NY", False),
        ("Manhattan", "New York, NY", False),
        ("Los Angeles CA", "Los Angeles, CA", False),
        ("St. Louis, MO", "Saint Louis, MO", False),
        ("Raleigh North Carolina", "Raleigh, NC", False),
    ],
)
def test_offline_geocoder_reads_zips_and_cities(query: str, label: str, approximate: bool) -> None:
    place = OfflineGeocoder().geocode(query)
    assert place is not None
    assert place.label == label
    assert place.approximate is approximate
    assert place.country == "US"


@pytest.mark.parametrize(
    ("query", "lat", "lng"),
    [("Los Angeles CA", 34.05, -118.25), ("Boston", 42.36, -71.06), ("Chicago", 41.85, -87.68)],
)
def test_city_centres_are_downtown(query: str, lat: float, lng: float) -> None:
    place = OfflineGeocoder().geocode(query)
    assert place is not None
    assert haversine_km(place.latitude, place.longitude, lat, lng) < 8


def test_offline_geocoder_reads_coordinates() -> None:
    place = OfflineGeocoder().geocode("51.5074, -0.1278")
    assert place is not None
    assert (place.latitude, place.longitude) == (51.5074, -0.1278)
    assert place.country == "GB"
    assert place.timezone == "Europe/London"


@pytest.mark.parametrize("query", ["Qwxyzville", "Nowhere, ZZ", "00000", "95.0, 10.0", ""])
def test_offline_geocoder_finds_nothing(query: str) -> None:
    assert OfflineGeocoder().geocode(query) is None


def test_online_answers_are_cached_in_the_database(session: Session) -> None:
    fake = FakeGeocoder({"herald square, nyc": HERALD_SQUARE})
    first = cached_geocode(session, fake, "Herald Square,   NYC")
    second = cached_geocode(session, fake, "herald square, nyc")
    assert first == second == HERALD_SQUARE
    assert len(fake.calls) == 1
    assert session.scalar(select(func.count()).select_from(GeocodeCache)) == 1


def test_not_found_is_cached_too(session: Session) -> None:
    fake = FakeGeocoder()
    assert cached_geocode(session, fake, "qwertyuiop") is None
    assert cached_geocode(session, fake, "qwertyuiop") is None
    assert len(fake.calls) == 1


def test_locate_prefers_the_online_answer(session: Session) -> None:
    fake = FakeGeocoder({"herald square, nyc": HERALD_SQUARE})
    place = locate(session, "Herald Square, NYC", fake)
    assert place == HERALD_SQUARE
    assert not place.approximate


def test_locate_falls_back_offline_and_says_approximate(session: Session) -> None:
    fake = FakeGeocoder(down=True)
    place = locate(session, "10001", fake)
    assert place.label == "New York, NY 10001"
    assert place.approximate
    assert fake.calls == ["10001"]
    # Nothing is cached from an outage: the next try asks the provider again.
    assert session.scalar(select(func.count()).select_from(GeocodeCache)) == 0


def test_locate_reads_coordinates_without_asking_online(session: Session) -> None:
    fake = FakeGeocoder()
    place = locate(session, "40.7484,-73.9967", fake)
    assert (place.latitude, place.longitude) == (40.7484, -73.9967)
    assert fake.calls == []


def test_locate_uses_offline_when_online_finds_nothing(session: Session) -> None:
    place = locate(session, "Austin, TX", FakeGeocoder())
    assert place.label == "Austin, TX"


@pytest.mark.parametrize("query", ["Qwxyzville", "   ", "zzzz, QQ"])
def test_place_not_found_says_what_to_try(session: Session, query: str) -> None:
    with pytest.raises(PlaceNotFound) as excinfo:
        locate(session, query, FakeGeocoder(down=True))
    message = str(excinfo.value)
    assert "ZIP" in message


def test_nominatim_needs_a_real_user_agent() -> None:
    with pytest.raises(ConfigError, match="GEOCODER_USER_AGENT"):
        build_online_geocoder({"GEOCODER": "nominatim"})


def test_an_unknown_geocoder_is_named_in_a_config_error() -> None:
    with pytest.raises(ConfigError, match="GEOCODER='bogus' is not a geocoder"):
        build_online_geocoder({"GEOCODER": "bogus"})


def test_offline_configuration_has_no_online_geocoder() -> None:
    assert build_online_geocoder({"GEOCODER": "offline"}) is None


def test_nominatim_is_rate_limited_with_a_short_timeout() -> None:
    geocoder = build_online_geocoder(
        {"GEOCODER": "nominatim", "GEOCODER_USER_AGENT": "finder-tests (ops@example.org)",
         "GEOCODER_TIMEOUT": 2, "GEOCODER_MIN_DELAY": 1}
    )  # fmt: skip
    assert isinstance(geocoder, GeopyGeocoder)
    assert geocoder._geocoder.timeout == 2
    assert geocoder._geocode.min_delay_seconds == 1


@pytest.mark.parametrize("error", [GeocoderTimedOut("slow"), GeopyUnavailable("down"), OSError()])
def test_geopy_errors_mean_unavailable(error: Exception) -> None:
    geocoder = build_online_geocoder(
        {"GEOCODER": "nominatim", "GEOCODER_USER_AGENT": "finder-tests (ops@example.org)"}
    )
    assert isinstance(geocoder, GeopyGeocoder)

    def boom(*_args: object, **_kwargs: object) -> None:
        raise error

    geocoder._geocode = boom  # type: ignore[assignment]
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("10001")


@pytest.mark.parametrize(
    ("query", "label", "approximate"),
    [
        ("Toronto, ON, Canada", "Toronto, Canada", False),
        ("123 Queen St W, Toronto, ON M5H 2M9, Canada", "Toronto, Canada", True),
        ("Leeds, UK", "Leeds, United Kingdom", False),
    ],
)
def test_offline_geocoder_knows_world_cities(query: str, label: str, approximate: bool) -> None:
    place = OfflineGeocoder().geocode(query)
    assert place is not None
    assert (place.label, place.approximate) == (label, approximate)


def test_a_us_place_the_zip_data_lacks_is_not_taken_for_a_foreign_city() -> None:
    assert OfflineGeocoder().geocode("Marin, CA, US") is None  # not Marín, Spain
