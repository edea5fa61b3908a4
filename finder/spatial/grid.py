"""Radius queries over rows sorted into latitude bands, by longitude within a band.

A circle becomes one contiguous slice of rows per band it crosses (two where it
crosses the antimeridian), found with searchsorted; the slices' rows then get the
exact great-circle distance. Unlike a KD-tree this hands back numpy positions, with no
Python list per query, and it needs nothing beyond numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from finder.geo import EARTH_RADIUS_KM, haversine_km
from finder.spatial.columns import Array, Columns

BAND_DEGREES = 0.05  # about 5.6 km: a 25 km circle spans ~10 bands
BAND_WIDTH = 400.0  # key = band * BAND_WIDTH + (longitude + 180), longitudes fit in 0..360
MARGIN_DEGREES = 1e-6  # boxes are widened a little; the exact distance decides
EDGE_TOLERANCE = 1e-7  # relative: chords this close to the radius are checked in Python


def band_keys(lat: Array, lng: Array) -> Array:
    """The sort key of each point."""
    band = np.floor((np.clip(lat, -90.0, 90.0) + 90.0) / BAND_DEGREES)
    return band * BAND_WIDTH + (lng + 180.0)


@dataclass(frozen=True)
class Box:
    """Latitude bounds and longitude ranges enclosing a circle."""

    min_lat: float
    max_lat: float
    lng_ranges: tuple[tuple[float, float], ...]

    def contains(self, lat: Array, lng: Array) -> Array:
        inside = np.zeros(len(lat), dtype=bool)
        for lo, hi in self.lng_ranges:
            inside |= (lng >= lo) & (lng <= hi)
        return inside & (lat >= self.min_lat) & (lat <= self.max_lat)


def box(lat: float, lng: float, radius_km: float) -> Box:
    """The box around a circle on the sphere, right near the poles and the antimeridian."""
    angle = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angle) + MARGIN_DEGREES
    min_lat, max_lat = lat - dlat, lat + dlat
    whole: tuple[tuple[float, float], ...] = ((-180.0, 180.0),)
    if min_lat <= -90.0 or max_lat >= 90.0 or angle >= math.pi / 2:
        return Box(max(min_lat, -90.0), min(max_lat, 90.0), whole)
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    dlng = 180.0 if ratio >= 1.0 else math.degrees(math.asin(ratio)) + MARGIN_DEGREES
    lo, hi = lng - dlng, lng + dlng
    if dlng >= 180.0:
        ranges = whole
    elif lo < -180.0:
        ranges = ((lo + 360.0, 180.0), (-180.0, hi))
    elif hi > 180.0:
        ranges = ((lo, 180.0), (-180.0, hi - 360.0))
    else:
        ranges = ((lo, hi),)
    return Box(min_lat, max_lat, ranges)


def slices(keys: Array, area: Box) -> Array:
    """Positions (into rows sorted by keys) of every row inside the box's bands and ranges."""
    first = math.floor((max(area.min_lat, -90.0) + 90.0) / BAND_DEGREES)
    last = math.floor((min(area.max_lat, 90.0) + 90.0) / BAND_DEGREES)
    bands = np.arange(first, last + 1, dtype=np.float64) * BAND_WIDTH
    lows = np.concatenate([bands + (lo + 180.0) for lo, _ in area.lng_ranges])
    highs = np.concatenate([bands + (hi + 180.0) for _, hi in area.lng_ranges])
    starts = np.searchsorted(keys, lows, side="left")
    lengths = np.searchsorted(keys, highs, side="right") - starts
    lengths[lengths < 0] = 0
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.intp)
    shift = starts - np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return np.repeat(shift, lengths) + np.arange(total)


def chord_limit(radius_km: float) -> float:
    """The squared chord (on the unit sphere) of a great-circle distance."""
    angle = min(radius_km / EARTH_RADIUS_KM, math.pi)
    return (2.0 * math.sin(angle / 2.0)) ** 2


def squared_chords(rows: Columns, pos: Array, q: tuple[float, float, float]) -> Array:
    """Squared chords from q to the rows at pos, in place (few temporaries: they page-fault)."""
    total = rows.x[pos]
    total -= q[0]
    total *= total
    for axis, value in ((rows.y, q[1]), (rows.z, q[2])):
        part = axis[pos]
        part -= value
        part *= part
        total += part
    return total


def within(
    rows: Columns, pos: Array, lat: float, lng: float, radius_km: float
) -> tuple[Array, Array]:
    """(positions, squared chords) of the rows at pos within the radius.

    Chords order points exactly as distances do; those within a hair of the radius are
    decided by finder.geo.haversine_km itself, so the edge is where the reference has it.
    """
    q = (
        math.cos(math.radians(lat)) * math.cos(math.radians(lng)),
        math.cos(math.radians(lat)) * math.sin(math.radians(lng)),
        math.sin(math.radians(lat)),
    )
    chords = squared_chords(rows, pos, q)
    limit = chord_limit(radius_km)
    inside = np.flatnonzero(chords <= limit * (1 + EDGE_TOLERANCE))
    pos, chords = pos[inside], chords[inside]
    edge = np.flatnonzero(chords > limit * (1 - EDGE_TOLERANCE))
    if len(edge):
        keep = np.ones(len(pos), dtype=bool)
        for i in edge.tolist():
            point = float(rows.lat[pos[i]]), float(rows.lng[pos[i]])
            keep[i] = haversine_km(lat, lng, *point) <= radius_km
        pos, chords = pos[keep], chords[keep]
    return pos, chords


def distances(lat: float, lng: float, lats: Array, lngs: Array) -> Array:
    """finder.geo.haversine_km from one point to many, vectorized."""
    p1 = math.radians(lat)
    p2 = np.radians(lats)
    half_dp = (p2 - p1) / 2
    half_dl = np.radians(lngs - lng) / 2
    a = np.sin(half_dp) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(half_dl) ** 2
    result: Array = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return result
