"""Published meetings as numpy columns: what a search filters and orders on, nothing more."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from finder.models import derive_attendance
from finder.schedule import TIME_OF_DAY_KEYS, time_of_day
from finder.spatial.clock import SECOND

Array = npt.NDArray[Any]
ATTENDANCE_CODES = ("inactive", "online", "in_person", "hybrid")


@dataclass(frozen=True)
class Columns:
    """One row per published meeting; -1 marks a missing day, time or end time."""

    ids: Array  # int64 meeting id
    lat: Array  # float64 degrees
    lng: Array  # float64 degrees
    coslat: Array  # float64 cos(latitude)
    day: Array  # int8 0 = Sunday
    start: Array  # int64 microseconds of the local day
    end: Array  # int64 microseconds of the local day
    tod: Array  # int8 index into TIME_OF_DAY_KEYS
    types: Array  # uint64 (n, words) bit set over Vocabulary.types
    attendance: Array  # int8 index into Vocabulary.attendance
    fellowship: Array  # int32 fellowship id
    zone: Array  # int16 index into Vocabulary.zones

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

    @staticmethod
    def concat(parts: Sequence[Columns]) -> Columns:
        """Rows of several column sets, in order (type words already equal)."""
        names = [f.name for f in fields(Columns)]
        return Columns(*(np.concatenate([getattr(p, n) for p in parts]) for n in names))


class Vocabulary:
    """Time zone names and type codes seen so far; only ever grows, shared by snapshots."""

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


def _mapped(values: Sequence[Any], convert: Callable[[Any], Any], dtype: Any) -> Array:
    """Convert a column through a dict of its distinct values (few, so convert is cheap)."""
    table: dict[Hashable, Any] = {v: convert(v) for v in set(values)}
    return np.fromiter(map(table.__getitem__, values), dtype=dtype, count=len(values))


def time_us(text: str | None) -> int:
    """Microseconds of the day for "HH:MM[:SS[.ffffff]]"; -1 for none."""
    if not text:
        return -1
    clock, _, fraction = str(text).partition(".")
    parts = [int(p) for p in clock.split(":")] + [0, 0]
    micro = int((fraction + "000000")[:6]) if fraction else 0
    return ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * SECOND + micro


def _tod(start_us: int) -> int:
    if start_us < 0:
        return -1
    minute = start_us // (60 * SECOND)
    return TIME_OF_DAY_KEYS.index(time_of_day(dt.time(minute // 60, minute % 60)))


def _mask(vocab: Vocabulary, codes: list[str]) -> Array:
    words = vocab.mask(codes)
    assert words is not None  # codes are added, never unknown
    return words


def _type_codes(text: str | None) -> list[str]:
    codes = json.loads(text) if text else []
    return [str(c) for c in codes] if isinstance(codes, list) else []


def _attendance_table() -> Array:
    """derive_attendance() for every combination of its five inputs, as codes."""
    table = np.zeros(32, dtype=np.int8)
    for key in range(32):
        has_address, approximate, url, phone, closed = ((key >> i) & 1 == 1 for i in range(5))
        label = derive_attendance(
            has_address=has_address,
            approximate=approximate,
            conference_url="x" if url else "",
            conference_phone="x" if phone else "",
            temporarily_closed=closed,
        )
        table[key] = ATTENDANCE_CODES.index(label)
    return table


ATTENDANCE_TABLE = _attendance_table()


def _attendance(derived: Array, options: list[str | None], vocab: Vocabulary) -> Array:
    """A meeting's own attendance_option wins over the derived one, as Meeting.attendance."""
    chosen = _mapped(options, lambda o: vocab.attendance_of(o) if o else -1, np.int8)
    return np.where(chosen >= 0, chosen, derived).astype(np.int8)


def from_rows(rows: Sequence[Sequence[Any]], vocab: Vocabulary) -> Columns:
    """Columns from rows shaped like loader.row_select()."""
    n = len(rows)
    if n == 0:
        return empty(vocab.words)
    (
        ids,
        day,
        start,
        end,
        types,
        url,
        phone,
        closed,
        fellowship,
        lat,
        lng,
        approx,
        tz,
        addr,
        option,
    ) = (list(c) for c in zip(*rows, strict=True))
    start_us = _mapped(start, time_us, np.int64)
    type_texts = sorted(set(types), key=str)
    code_lists = {t: _type_codes(t) for t in type_texts}
    for codes in code_lists.values():
        vocab.type_bits(codes, add=True)
    masks = {t: _mask(vocab, code_lists[t]) for t in type_texts}
    position = {t: i for i, t in enumerate(type_texts)}
    table = np.stack([masks[t] for t in type_texts])
    type_rows = table[_mapped(types, position.__getitem__, np.int32)]
    tc = vocab.types.get("TC")
    closed_arr = np.array(closed, dtype=bool)
    if tc is not None:
        closed_arr |= (type_rows[:, tc // 64] >> np.uint64(tc % 64)) & np.uint64(1) == 1
    key = (
        np.array(addr, dtype=bool).astype(np.int8)
        | np.array(approx, dtype=bool).astype(np.int8) << 1
        | np.array(url, dtype=bool).astype(np.int8) << 2
        | np.array(phone, dtype=bool).astype(np.int8) << 3
        | closed_arr.astype(np.int8) << 4
    )
    lat_arr = np.array(lat, dtype=np.float64)
    return Columns(
        ids=np.array(ids, dtype=np.int64),
        lat=lat_arr,
        lng=np.array(lng, dtype=np.float64),
        coslat=np.cos(np.radians(lat_arr)),
        day=_mapped(day, lambda d: -1 if d is None else int(d), np.int8),
        start=start_us,
        end=_mapped(end, time_us, np.int64),
        tod=_mapped(list(start_us.tolist()), _tod, np.int8),
        types=type_rows,
        attendance=_attendance(ATTENDANCE_TABLE[key], option, vocab),
        fellowship=np.array(fellowship, dtype=np.int32),
        zone=_mapped(tz, vocab.zone_of, np.int16),
    )


def empty(words: int) -> Columns:
    """No rows."""
    f, i8, i64 = np.float64, np.int8, np.int64
    return Columns(
        ids=np.zeros(0, i64),
        lat=np.zeros(0, f),
        lng=np.zeros(0, f),
        coslat=np.zeros(0, f),
        day=np.zeros(0, i8),
        start=np.zeros(0, i64),
        end=np.zeros(0, i64),
        tod=np.zeros(0, i8),
        types=np.zeros((0, words), np.uint64),
        attendance=np.zeros(0, i8),
        fellowship=np.zeros(0, np.int32),
        zone=np.zeros(0, np.int16),
    )
