"""Distances, bounding boxes, zones and countries from coordinates."""

from __future__ import annotations

import math

import pytest

from finder.geo import (
    country_for_zone,
    haversine_km,
    timezone_at,
    uses_miles,
    valid_coordinates,
)


def test_known_distances() -> None:
    # Empire State Building to Times Square: about 1.2 km.
    assert haversine_km(40.7484, -73.9857, 40.7580, -73.9855) == pytest.approx(1.07, abs=0.02)
    # New York to Los Angeles: about 3,936 km.
    assert haversine_km(40.7128, -74.0060, 34.0522, -118.2437) == pytest.approx(3936, rel=0.005)
    assert haversine_km(10, 20, 10, 20) == 0


def test_distance_across_the_antimeridian_is_short() -> None:
    assert haversine_km(0, 179.9, 0, -179.9) == pytest.approx(22.2, abs=0.1)


@pytest.mark.parametrize(
    ("lat", "lng", "zone", "country"),
    [
        (40.7484, -73.9967, "America/New_York", "US"),
        (33.4484, -112.0740, "America/Phoenix", "US"),
        (51.5074, -0.1278, "Europe/London", "GB"),
        (-33.8688, 151.2093, "Australia/Sydney", "AU"),
    ],
)
def test_zone_and_country_offline(lat: float, lng: float, zone: str, country: str) -> None:
    assert timezone_at(lat, lng) == zone
    assert country_for_zone(zone) == country


def test_miles_only_in_the_us() -> None:
    assert uses_miles("US")
    assert uses_miles("pr")
    assert uses_miles("GB")  # road distances in the UK are in miles
    assert not uses_miles("FR") and not uses_miles("CA")
    assert not uses_miles("")


@pytest.mark.parametrize(
    ("lat", "lng", "ok"),
    [(0, 0, True), (90, 180, True), (-90.1, 0, False), (0, 180.5, False), (math.nan, 0, False)],
)
def test_valid_coordinates(lat: float, lng: float, ok: bool) -> None:
    assert valid_coordinates(lat, lng) is ok
