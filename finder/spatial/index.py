"""A snapshot of the search index and the search over it: radius, filters, next start, order.

A snapshot is immutable: the rows sorted by band (`main`), a mask of main rows that
later writes replaced, and a small unsorted `delta` of rows written since main was
built. Writes make a new snapshot; a search never sees one half-applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from finder.schedule import TIME_OF_DAY_KEYS
from finder.spatial.clock import occurrences, to_us, zone_clock
from finder.spatial.columns import Columns, Vocabulary, empty
from finder.spatial.grid import band_keys, box, slices, within

if TYPE_CHECKING:
    from finder.nearby import Filters

Array = npt.NDArray[Any]
NO_START = np.iinfo(np.int64).max  # meetings without a day or time sort after the rest


@dataclass(frozen=True)
class Snapshot:
    """The index as of one search_state version."""

    version: int
    vocab: Vocabulary
    fellowships: dict[str, int]  # code -> fellowship id
    main: Columns
    keys: Array  # band keys of main, ascending
    sorted_ids: Array  # main.ids ascending
    id_sorter: Array  # positions in main of sorted_ids
    alive: Array | None = None  # main rows still current; None when all are
    delta: Columns = field(default_factory=lambda: empty(1))

    @property
    def size(self) -> int:
        alive = len(self.main) if self.alive is None else int(self.alive.sum())
        return alive + len(self.delta)


def build(version: int, rows: Columns, vocab: Vocabulary, fellowships: dict[str, int]) -> Snapshot:
    """A snapshot with every row in the sorted main part."""
    rows = rows.widen_types(vocab.words)
    keys = band_keys(rows.lat, rows.lng)
    order = np.argsort(keys, kind="stable")
    main = rows.take(order)
    sorter = np.argsort(main.ids, kind="stable")
    return Snapshot(
        version=version,
        vocab=vocab,
        fellowships=dict(fellowships),
        main=main,
        keys=keys[order],
        sorted_ids=main.ids[sorter],
        id_sorter=sorter,
        delta=empty(vocab.words),
    )


def apply(
    snap: Snapshot, version: int, changed: Array, fresh: Columns, compact_at: int
) -> Snapshot:
    """A new snapshot where the rows of `changed` meeting ids are replaced by `fresh`.

    `fresh` holds the changed meetings that are still published; the others are gone.
    A delta grown past `compact_at` rows is merged into a newly sorted main part.
    """
    words = snap.vocab.words
    main = snap.main.widen_types(words)
    alive = np.ones(len(main), dtype=bool) if snap.alive is None else snap.alive.copy()
    at = np.searchsorted(snap.sorted_ids, changed)
    at = at[at < len(snap.sorted_ids)]
    hits = at[np.isin(snap.sorted_ids[at], changed)]
    alive[snap.id_sorter[hits]] = False
    kept = snap.delta.take(~np.isin(snap.delta.ids, changed)).widen_types(words)
    delta = Columns.concat([kept, fresh.widen_types(words)])
    if len(delta) > compact_at:
        rows = Columns.concat([main.take(alive), delta])
        return build(version, rows, snap.vocab, snap.fellowships)
    return replace(snap, version=version, main=main, alive=alive, delta=delta)


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


def _table(size: int, allowed: list[int]) -> Array:
    table = np.zeros(size, dtype=bool)
    table[allowed] = True
    return table


def _type_mask(snap: Snapshot, rows: Columns, codes: frozenset[str]) -> Array:
    wanted = snap.vocab.mask(sorted(codes), add=False)
    words = rows.types.shape[1]
    if wanted is None or wanted[words:].any():
        return np.zeros(len(rows), dtype=bool)
    wanted = wanted[:words]
    matching: Array = np.all((rows.types & wanted) == wanted, axis=1)
    return matching


def _filter_mask(snap: Snapshot, rows: Columns, filters: Filters) -> Array | None:
    """Rows matching every filter; None when no filter is set."""
    masks: list[Array] = []
    if filters.days:
        masks.append(_table(8, [d + 1 for d in filters.days if 0 <= d <= 6])[rows.day + 1])
    if filters.times_of_day:
        allowed = [TIME_OF_DAY_KEYS.index(t) + 1 for t in filters.times_of_day]
        masks.append(_table(len(TIME_OF_DAY_KEYS) + 1, allowed)[rows.tod + 1])
    if filters.attendance:
        names = snap.vocab.attendance
        codes = [names.index(a) for a in filters.attendance if a in names]
        masks.append(_table(len(names), codes)[rows.attendance])
    if filters.fellowships:
        ids = [snap.fellowships[c] for c in filters.fellowships if c in snap.fellowships]
        masks.append(np.isin(rows.fellowship, ids))
    if filters.types:
        masks.append(_type_mask(snap, rows, filters.types))
    if not masks:
        return None
    mask = masks[0]
    for other in masks[1:]:
        mask &= other
    return mask


def _nearby(snap: Snapshot, lat: float, lng: float, radius_km: float) -> tuple[Columns, Array]:
    """Rows within the radius and their distances."""
    area = box(lat, lng, radius_km)
    pos = slices(snap.keys, area)
    if snap.alive is not None:
        pos = pos[snap.alive[pos]]
    main = snap.main
    inside, dist = within(lat, lng, radius_km, main.lat[pos], main.lng[pos], main.coslat[pos])
    rows, dist = main.take(pos[inside]), dist[inside]
    delta = snap.delta
    if len(delta):
        near = np.flatnonzero(area.contains(delta.lat, delta.lng))
        d_in, d_dist = within(
            lat, lng, radius_km, delta.lat[near], delta.lng[near], delta.coslat[near]
        )
        rows = Columns.concat([rows, delta.take(near[d_in])])
        dist = np.concatenate([dist, d_dist[d_in]])
    return rows, dist


def _next_starts(snap: Snapshot, rows: Columns, now: dt.datetime) -> tuple[Array, Array, Array]:
    """(start, end, in progress) of each row's current or next occurrence."""
    n = len(rows)
    start = np.full(n, NO_START, dtype=np.int64)
    end = np.full(n, NO_START, dtype=np.int64)
    running = np.zeros(n, dtype=bool)
    timed = (rows.day >= 0) & (rows.start >= 0)
    now_us = to_us(now)
    for zone_index in np.flatnonzero(np.bincount(rows.zone[timed], minlength=1)).tolist():
        sel = np.flatnonzero(timed & (rows.zone == zone_index))
        clock = zone_clock(snap.vocab.zones[zone_index], now)
        occ = occurrences(
            clock, rows.day[sel].astype(np.int64), rows.start[sel], rows.end[sel], now_us
        )
        start[sel], end[sel], running[sel] = occ.start, occ.end, occ.in_progress
    return start, end, running


def _order(primary: Array, secondary: Array, ids: Array, count: int | None) -> Array:
    """Positions of the first `count` rows by (primary, secondary, id)."""
    n = len(primary)
    if count is None or count >= n // 2:
        return np.lexsort((ids, secondary, primary))[:count]
    if count <= 0:
        return np.zeros(0, dtype=np.intp)
    cutoff = np.partition(primary, count - 1)[count - 1]
    pool = np.flatnonzero(primary <= cutoff)
    return pool[np.lexsort((ids[pool], secondary[pool], primary[pool]))][:count]


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
    rows, dist = _nearby(snap, lat, lng, radius_km)
    mask = _filter_mask(snap, rows, filters)
    if mask is not None:
        rows, dist = rows.take(mask), dist[mask]
    start, end, running = _next_starts(snap, rows, now)
    if sort == "distance":
        order = _order(dist, start, rows.ids, count)
    else:
        order = _order(start, dist, rows.ids, count)
    return Matches(
        total=len(rows),
        ids=rows.ids[order],
        distance=dist[order],
        start=start[order],
        end=end[order],
        open_end=rows.end[order] < 0,
        in_progress=running[order],
        attendance=rows.attendance[order],
        zone=rows.zone[order],
    )
