"""The search over a snapshot: radius, filters, next start, order; columns gathered lazily.

Only the columns a step needs are gathered for the candidates (a dense 25 km circle
holds ~17,000 at 1M meetings); the rows of the page alone get their ids, distances
and names. Scratch arrays are updated in place where possible: fresh ones this size
cost page faults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from finder.schedule import TIME_OF_DAY_KEYS
from finder.spatial.clock import DAY, fixed_occurrences, occurrences, to_us, zone_clock
from finder.spatial.columns import Array
from finder.spatial.grid import box, distances, slices, within
from finder.spatial.index import Snapshot
from finder.text import name_matches

if TYPE_CHECKING:
    from finder.nearby import Filters

NO_START = np.iinfo(np.int64).max  # meetings without a day or time sort after the rest


@dataclass(frozen=True)
class Picked:
    """Rows found so far: positions in the snapshot's main part, then in its delta."""

    snap: Snapshot
    main: Array
    delta: Array

    def __len__(self) -> int:
        return len(self.main) + len(self.delta)

    def col(self, name: str) -> Array:
        values: Array = getattr(self.snap.main, name)[self.main]
        if len(self.delta):
            values = np.concatenate([values, getattr(self.snap.delta, name)[self.delta]])
        return values

    def keep(self, mask: Array) -> Picked:
        split = len(self.main)
        return Picked(self.snap, self.main[mask[:split]], self.delta[mask[split:]])

    def at(self, index: Array, name: str) -> Array:
        """A column at some positions of this pick (in their order)."""
        main_col = getattr(self.snap.main, name)
        if not len(self.delta):
            values: Array = main_col[self.main[index]]
            return values
        values = np.empty(len(index), dtype=main_col.dtype)
        in_main = index < len(self.main)
        values[in_main] = main_col[self.main[index[in_main]]]
        delta_col = getattr(self.snap.delta, name)
        values[~in_main] = delta_col[self.delta[index[~in_main] - len(self.main)]]
        return values


@dataclass(frozen=True)
class Matches:
    """The ordered first rows of a search, and how many matched in all."""

    total: int
    ids: Array
    distance: Array
    start: Array  # UTC microseconds, NO_START when the meeting has no day or time
    end: Array
    open_end: Array  # no end time: the end is an hour of wall-clock time after the start
    in_progress: Array
    attendance: Array
    zone: Array


def _nearby(snap: Snapshot, lat: float, lng: float, radius_km: float) -> tuple[Picked, Array]:
    """Rows within the radius and their squared chords."""
    area = box(lat, lng, radius_km)
    pos = slices(snap.keys, area)
    if snap.alive is not None:
        pos = pos[snap.alive[pos]]
    pos, chords = within(snap.main, pos, lat, lng, radius_km)
    delta = snap.delta
    if not len(delta):
        return Picked(snap, pos, pos[:0]), chords
    near = np.flatnonzero(area.contains(delta.lat, delta.lng))
    near, near_chords = within(delta, near, lat, lng, radius_km)
    return Picked(snap, pos, near), np.concatenate([chords, near_chords])


def _table(size: int, allowed: list[int]) -> Array:
    table = np.zeros(size, dtype=bool)
    table[allowed] = True
    return table


def _type_mask(picked: Picked, codes: frozenset[str]) -> Array:
    wanted = picked.snap.vocab.mask(sorted(codes), add=False)
    types = picked.col("types")
    words = types.shape[1]
    if wanted is None or wanted[words:].any():
        return np.zeros(len(picked), dtype=bool)
    wanted = wanted[:words]
    matching: Array = np.all((types & wanted) == wanted, axis=1)
    return matching


def _filter_mask(picked: Picked, filters: Filters) -> Array | None:
    """Rows matching every filter; None when no filter is set."""
    vocab, masks = picked.snap.vocab, []
    if filters.days:
        allowed = [d + 1 for d in filters.days if 0 <= d <= 6]
        masks.append(_table(8, allowed)[picked.col("day") + 1])
    if filters.times_of_day:
        allowed = [TIME_OF_DAY_KEYS.index(t) + 1 for t in filters.times_of_day]
        masks.append(_table(len(TIME_OF_DAY_KEYS) + 1, allowed)[picked.col("tod") + 1])
    wanted = filters.wanted_attendance
    codes = [vocab.attendance.index(a) for a in wanted if a in vocab.attendance]
    masks.append(_table(len(vocab.attendance), codes)[picked.col("attendance")])
    if not filters.includes_areas:
        masks.append(~picked.col("area"))
    if filters.fellowships:
        known = picked.snap.fellowships
        masks.append(
            np.isin(picked.col("fellowship"), [known[c] for c in filters.fellowships if c in known])
        )
    if filters.types:
        masks.append(_type_mask(picked, filters.types))
    if not masks:
        return None
    combined: Array = masks[0]
    for other in masks[1:]:
        combined &= other
    return combined


def _name_mask(picked: Picked, words: tuple[str, ...]) -> Array:
    """Rows whose names hold every word (a Python test per row: run it on few rows)."""
    names = picked.col("names")
    return np.fromiter((name_matches(words, key) for key in names), dtype=bool, count=len(names))


def _next_starts(picked: Picked, now: dt.datetime) -> tuple[Array, Array, Array]:
    """(start, end, in progress) of each row's current or next occurrence."""
    week, duration, zone = picked.col("week"), picked.col("duration"), picked.col("zone")
    n, now_us = len(week), to_us(now)
    start, end = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    running = np.zeros(n, dtype=bool)
    one_zone = n > 0 and zone.min() == zone.max()
    present = [int(zone[0])] if one_zone else np.flatnonzero(np.bincount(zone)).tolist()
    for zone_index in present:
        sel: Array | slice = slice(None) if one_zone else np.flatnonzero(zone == zone_index)
        clock = zone_clock(picked.snap.vocab.zones[zone_index], now)
        if clock.fixed:
            occ = fixed_occurrences(clock, week[sel], duration[sel], now_us)
        else:
            day, start_of_day = np.divmod(week[sel], DAY)
            occ = occurrences(clock, day, start_of_day, picked.col("end")[sel], now_us)
        start[sel], end[sel], running[sel] = occ.start, occ.end, occ.in_progress
    untimed = week < 0
    if untimed.any():
        start[untimed], end[untimed], running[untimed] = NO_START, NO_START, False
    return start, end, running


def _order(
    primary: Array, secondary: Array, ids: Callable[[Array], Array], count: int | None
) -> Array:
    """Positions of the first `count` rows by (primary, secondary, id)."""
    n = len(primary)
    if count is None or count >= n // 2:
        everything = np.arange(n)
        return np.lexsort((ids(everything), secondary, primary))[:count]
    if count <= 0:
        return np.zeros(0, dtype=np.intp)
    cutoff = np.partition(primary, count - 1)[count - 1]
    pool = np.flatnonzero(primary <= cutoff)
    return pool[np.lexsort((ids(pool), secondary[pool], primary[pool]))][:count]


def search(
    snap: Snapshot,
    lat: float,
    lng: float,
    radius_km: float,
    filters: Filters,
    now: dt.datetime,
    sort: str,
    count: int | None,
) -> Matches:
    """The first `count` matches (all when None) in the order of `sort`."""
    picked, chords = _nearby(snap, lat, lng, radius_km)
    mask = _filter_mask(picked, filters)
    if mask is not None:
        picked, chords = picked.keep(mask), chords[mask]
    if filters.name:  # after the cheap filters, which leave it fewer rows
        named = _name_mask(picked, filters.name)
        picked, chords = picked.keep(named), chords[named]
    start, end, running = _next_starts(picked, now)
    if filters.starts_before is not None:
        soon = running | (start < to_us(filters.starts_before))
        picked, chords = picked.keep(soon), chords[soon]
        start, end, running = start[soon], end[soon], running[soon]
    ids = lambda index: picked.at(index, "ids")  # noqa: E731
    if sort == "distance":
        order = _order(chords, start, ids, count)
    else:
        order = _order(start, chords, ids, count)
    return Matches(
        total=len(picked),
        ids=picked.at(order, "ids"),
        distance=distances(lat, lng, picked.at(order, "lat"), picked.at(order, "lng")),
        start=start[order],
        end=end[order],
        open_end=picked.at(order, "end") < 0,
        in_progress=running[order],
        attendance=picked.at(order, "attendance"),
        zone=picked.at(order, "zone"),
    )
