"""A snapshot of the search index: built in full, or a previous one with some rows replaced.

A snapshot is immutable: the rows sorted by band (`main`), a mask of main rows that
later writes replaced, and a small unsorted `delta` of rows written since main was
built. Writes make a new snapshot; a search never sees one half-applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from finder.spatial.columns import Array, Columns, Vocabulary, empty
from finder.spatial.grid import band_keys


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
    # Served while its replacement is being built (a bulk import changed too much to replay).
    stale: bool = False

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
