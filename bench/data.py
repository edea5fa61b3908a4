"""Deterministic synthetic meetings clustered like real metros.

At 1,000,000 meetings the extra-dense point (New York) has about 17,000 meetings within
25 km, the dense point (Chicago) about 2,000, and the rural point (western South
Dakota) a handful; smaller datasets scale every count down in proportion. Meetings
share locations (about 1.6 per place), as in real feeds.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SEED = 20261125
DATA_VERSION = 1  # bump when the generator changes: cached SQLite files are rebuilt

EXTRA_DENSE = ("extra-dense", 40.7484, -73.9967)
DENSE = ("dense", 41.8781, -87.6298)
RURAL = ("rural", 44.08, -103.23)
POINTS = (DENSE, EXTRA_DENSE, RURAL)

# (lat, lng, sigma km): other metros, weights falling off like city sizes.
METROS = (
    (34.05, -118.24, 35), (29.76, -95.37, 30), (33.45, -112.07, 25), (39.95, -75.17, 18),
    (29.42, -98.49, 20), (32.72, -117.16, 20), (32.78, -96.80, 28), (37.34, -121.89, 15),
    (30.27, -97.74, 18), (30.33, -81.66, 20), (39.96, -82.999, 15), (35.23, -80.84, 18),
    (37.77, -122.42, 12), (39.77, -86.16, 15), (47.61, -122.33, 18), (39.74, -104.99, 18),
    (38.91, -77.04, 18), (42.36, -71.06, 15), (31.76, -106.49, 12), (36.16, -86.78, 15),
    (42.33, -83.05, 20), (35.47, -97.52, 15), (45.52, -122.68, 15), (36.17, -115.14, 15),
    (35.15, -90.05, 15), (38.25, -85.76, 12), (39.29, -76.61, 12), (43.04, -87.91, 12),
    (35.08, -106.65, 12), (32.22, -110.97, 12), (36.74, -119.79, 12), (38.58, -121.49, 14),
    (33.75, -84.39, 25), (25.76, -80.19, 22), (44.98, -93.27, 18), (27.95, -82.46, 18),
    (40.44, -79.99, 15), (39.10, -84.51, 15), (29.95, -90.07, 12), (41.50, -81.69, 15),
)  # fmt: skip
EXTRA_DENSE_SHARE = 0.0192  # of all meetings, sigma 12 km: ~1.7 % within 25 km
DENSE_SHARE = 0.0037  # sigma 20 km: ~0.2 % within 25 km
RURAL_SHARE = 0.05  # spread evenly over the lower 48 states
MEETINGS_PER_PLACE = 1.6
TYPE_CODES = ("O", "C", "D", "BB", "ST", "W", "M", "LGBTQ", "X", "BE", "S", "TC")
TYPE_CHANCE = (0.5, 0.4, 0.3, 0.15, 0.1, 0.05, 0.05, 0.03, 0.1, 0.08, 0.04, 0.01)
FELLOWSHIPS = ("aa", "na", "alanon", "ca", "smart", "rd", "cr", "other")
FELLOWSHIP_CHANCE = (0.6, 0.2, 0.08, 0.03, 0.03, 0.02, 0.02, 0.02)
START_MINUTES = (7 * 60, 12 * 60, 17 * 60 + 30, 18 * 60, 19 * 60, 19 * 60 + 30, 20 * 60)
Array = npt.NDArray[np.generic]


@dataclass(frozen=True)
class Dataset:
    """Places and the meetings at them, as columns."""

    size: int
    place_lat: Array
    place_lng: Array
    place_tz: list[str]
    meeting_place: Array
    day: Array  # -1: none
    start: Array  # minutes, -1: none
    end: Array  # minutes, -1: none
    types: list[str]  # JSON text
    fellowship: Array  # index into FELLOWSHIPS
    online: Array  # bool: has a conference URL

    @property
    def meeting_lat(self) -> Array:
        return self.place_lat[self.meeting_place]

    @property
    def meeting_lng(self) -> Array:
        return self.place_lng[self.meeting_place]


def _cluster(
    rng: np.random.Generator, count: int, lat: float, lng: float, sigma_km: float
) -> tuple[Array, Array]:
    north = rng.normal(0.0, sigma_km, count)
    east = rng.normal(0.0, sigma_km, count)
    lats = lat + north / 111.195
    lngs = lng + east / (111.195 * math.cos(math.radians(lat)))
    return lats, lngs


def _places(rng: np.random.Generator, places: int) -> tuple[Array, Array]:
    counts = {
        EXTRA_DENSE: round(places * EXTRA_DENSE_SHARE),
        DENSE: round(places * DENSE_SHARE),
        RURAL: round(places * RURAL_SHARE),
    }
    rest = places - sum(counts.values())
    weights = 1.0 / np.arange(1, len(METROS) + 1) ** 0.8
    per_metro = rng.multinomial(rest, weights / weights.sum())
    parts = [_cluster(rng, counts[EXTRA_DENSE], *EXTRA_DENSE[1:], 12)]
    parts.append(_cluster(rng, counts[DENSE], *DENSE[1:], 20))
    parts.append(
        (rng.uniform(26.0, 48.5, counts[RURAL]), rng.uniform(-123.0, -70.0, counts[RURAL]))
    )
    for (lat, lng, sigma), count in zip(METROS, per_metro, strict=True):
        parts.append(_cluster(rng, int(count), lat, lng, sigma))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def zone_for(lng: float) -> str:
    """A rough US time zone by longitude (enough for a benchmark)."""
    if lng > -87.5:
        return "America/New_York"
    if lng > -101.0:
        return "America/Chicago"
    if lng > -114.5:
        return "America/Denver"
    return "America/Los_Angeles"


def generate(size: int) -> Dataset:
    """`size` meetings; the same every time for the same size."""
    rng = np.random.default_rng(SEED + size)
    # Each place gets one meeting, the rest go to random places: ~1.6 per place.
    places = max(1, round(size / MEETINGS_PER_PLACE))
    lat, lng = _places(rng, places)
    extra = rng.integers(0, places, size - places) if size > places else np.zeros(0, np.int64)
    meeting_place = np.concatenate([np.arange(min(places, size)), extra])
    start = rng.choice(np.array(START_MINUTES), size)
    odd = rng.random(size) < 0.4
    start[odd] = rng.integers(6 * 4, 22 * 4, int(odd.sum())) * 15
    end = start + rng.choice(np.array([60, 60, 90]), size)
    end[rng.random(size) < 0.1] = -1
    end[end >= 24 * 60] -= 24 * 60
    day = rng.integers(0, 7, size)
    undated = rng.random(size) < 0.01
    day[undated], start[undated], end[undated] = -1, -1, -1
    chosen = rng.random((size, len(TYPE_CODES))) < np.array(TYPE_CHANCE)
    texts = {}
    keys = chosen @ (1 << np.arange(len(TYPE_CODES)))
    for key in np.unique(keys).tolist():
        texts[key] = json.dumps([c for i, c in enumerate(TYPE_CODES) if key >> i & 1])
    return Dataset(
        size=size,
        place_lat=lat,
        place_lng=lng,
        place_tz=[zone_for(x) for x in lng.tolist()],
        meeting_place=meeting_place,
        day=day,
        start=start,
        end=end,
        types=[texts[k] for k in keys.tolist()],
        fellowship=rng.choice(len(FELLOWSHIPS), size, p=np.array(FELLOWSHIP_CHANCE)),
        online=rng.random(size) < 0.15,
    )


def clock(minutes: int) -> dt.time | None:
    return None if minutes < 0 else dt.time(minutes // 60, minutes % 60)
