"""Published meetings as numpy columns: what a search filters and orders on, nothing more."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]
ATTENDANCE_CODES = ("inactive", "online", "in_person", "hybrid")


@dataclass(frozen=True)
class Columns:
    """One row per published meeting; -1 marks a missing day, time or end time."""

    ids: Array  # int64 meeting id
    lat: Array  # float64 degrees
    lng: Array  # float64 degrees
    x: Array  # float64 unit vector: distances compare as chords, no trigonometry
    y: Array
    z: Array
    day: Array  # int8 0 = Sunday
    week: Array  # int64 microseconds from local Sunday 00:00 to the start; -1 without day+time
    duration: Array  # int64 microseconds of wall-clock time (an hour without an end time)
    end: Array  # int64 microseconds of the local day of the end time; -1 without one
    tod: Array  # int8 index into schedule.TIME_OF_DAY_KEYS
    types: Array  # uint64 (n, words) bit set over Vocabulary.types
    attendance: Array  # int8 index into Vocabulary.attendance
    area: Array  # bool: at an area (a city, a region), not a room
    fellowship: Array  # int32 fellowship id
    zone: Array  # int16 index into Vocabulary.zones
    names: Array  # object: finder.text.name_key of the meeting's and its group's names

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: Array) -> Columns:
        """The rows at `index` (positions or a boolean mask)."""
        return Columns(*(getattr(self, f.name)[index] for f in fields(self)))

    def widen_types(self, words: int) -> Columns:
        """The same rows with room for more type codes."""
        extra = words - self.types.shape[1]
        if extra <= 0:
            return self
        pad = np.zeros((len(self), extra), dtype=np.uint64)
        return replace(self, types=np.hstack([self.types, pad]))

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))

    @staticmethod
    def concat(parts: Sequence[Columns]) -> Columns:
        """Rows of several column sets, in order (type words already equal)."""
        names = [f.name for f in fields(Columns)]
        return Columns(*(np.concatenate([getattr(p, n) for p in parts]) for n in names))


def unit_vectors(lat: Array, lng: Array) -> tuple[Array, Array, Array]:
    """Points on the unit sphere."""
    phi, lam = np.radians(lat), np.radians(lng)
    cos_phi = np.cos(phi)
    return cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)


def empty(words: int) -> Columns:
    """No rows."""
    f, i8, i64 = np.float64, np.int8, np.int64
    return Columns(
        ids=np.zeros(0, i64),
        lat=np.zeros(0, f),
        lng=np.zeros(0, f),
        x=np.zeros(0, f),
        y=np.zeros(0, f),
        z=np.zeros(0, f),
        day=np.zeros(0, i8),
        week=np.zeros(0, i64),
        duration=np.zeros(0, i64),
        end=np.zeros(0, i64),
        tod=np.zeros(0, i8),
        types=np.zeros((0, words), np.uint64),
        attendance=np.zeros(0, i8),
        area=np.zeros(0, bool),
        fellowship=np.zeros(0, np.int32),
        zone=np.zeros(0, np.int16),
        names=np.zeros(0, object),
    )


class Vocabulary:
    """Time zone names, type codes and attendance names seen so far; only ever grows."""

    def __init__(self) -> None:
        self.zones: list[str] = []
        self.zone_index: dict[str, int] = {}
        self.types: dict[str, int] = {}
        self.attendance: list[str] = list(ATTENDANCE_CODES)
        self._lock = threading.Lock()

    @property
    def words(self) -> int:
        return max(1, (len(self.types) + 63) // 64)

    def zone_of(self, name: str) -> int:
        with self._lock:
            if name not in self.zone_index:
                self.zone_index[name] = len(self.zones)
                self.zones.append(name)
            return self.zone_index[name]

    def attendance_of(self, name: str) -> int:
        with self._lock:
            if name not in self.attendance:
                self.attendance.append(name)
            return self.attendance.index(name)

    def type_bits(self, codes: Sequence[str], *, add: bool) -> list[int] | None:
        """Bit positions of codes; None when one is unknown and `add` is false."""
        with self._lock:
            bits = []
            for code in codes:
                if code not in self.types:
                    if not add:
                        return None
                    self.types[code] = len(self.types)
                bits.append(self.types[code])
            return bits

    def mask(self, codes: Sequence[str], *, add: bool = True) -> Array | None:
        """The uint64 words with the bits of codes set."""
        bits = self.type_bits(codes, add=add)
        if bits is None:
            return None
        words = np.zeros(self.words, dtype=np.uint64)
        for bit in bits:
            words[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
        return words
