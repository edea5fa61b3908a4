"""What a geocoder answers: a point with a label, and reading "lat,lng" text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from finder.geo import timezone_at, valid_coordinates

LATLNG_RE = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Place:
    """A point found for a query, with a label to show and its country and zone."""

    latitude: float
    longitude: float
    label: str
    approximate: bool = False
    country: str = ""
    # When the name fits several places ("Springfield"): their labels, biggest first.
    choices: tuple[str, ...] = ()

    @property
    def timezone(self) -> str:
        return timezone_at(self.latitude, self.longitude)


def parse_latlng(text: str) -> tuple[float, float] | None:
    match = LATLNG_RE.match(text)
    if not match:
        return None
    lat, lng = float(match.group(1)), float(match.group(2))
    return (lat, lng) if valid_coordinates(lat, lng) else None
