"""Database rows (see loader.row_select) to columns; distinct values are converted once."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from finder.models import derive_attendance
from finder.schedule import LONGEST_PAST_MIDNIGHT, TIME_OF_DAY_KEYS, time_of_day
from finder.spatial.clock import DAY, HOUR, SECOND
from finder.spatial.columns import ATTENDANCE_CODES, Array, Columns, Vocabulary, empty, unit_vectors
from finder.text import name_key

LONGEST_PAST_MIDNIGHT_US = LONGEST_PAST_MIDNIGHT // dt.timedelta(microseconds=1)

# Bits of the attendance key that loader.row_select computes in SQL.
HAS_ADDRESS, APPROXIMATE, HAS_URL, HAS_PHONE, CLOSED = 1, 2, 4, 8, 16


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


def _attendance_table() -> Array:
    """derive_attendance() for every value of the attendance key, as codes."""
    table = np.zeros(32, dtype=np.int8)
    for key in range(32):
        label = derive_attendance(
            has_address=bool(key & HAS_ADDRESS),
            approximate=bool(key & APPROXIMATE),
            conference_url="x" if key & HAS_URL else "",
            conference_phone="x" if key & HAS_PHONE else "",
            temporarily_closed=bool(key & CLOSED),
        )
        table[key] = ATTENDANCE_CODES.index(label)
    return table


ATTENDANCE_TABLE = _attendance_table()


def _types(texts: list[Any], vocab: Vocabulary) -> Array:
    """The type bit sets of JSON lists of codes."""
    distinct = sorted(set(texts), key=str)
    code_lists = {}
    for text in distinct:
        codes = json.loads(text) if text else []
        code_lists[text] = [str(c) for c in codes] if isinstance(codes, list) else []
        vocab.type_bits(code_lists[text], add=True)
    table = np.zeros((len(distinct), vocab.words), dtype=np.uint64)
    for i, text in enumerate(distinct):
        bits = vocab.mask(code_lists[text])
        assert bits is not None  # every code was added above
        table[i] = bits
    position = {t: i for i, t in enumerate(distinct)}
    rows: Array = table[_mapped(texts, position.__getitem__, np.int32)]
    return rows


def _attendance(key: Array, types: Array, options: list[Any], vocab: Vocabulary) -> Array:
    """A meeting's own attendance_option wins over the derived one, as Meeting.attendance."""
    tc = vocab.types.get("TC")
    if tc is not None:
        has_tc = (types[:, tc // 64] >> np.uint64(tc % 64)) & np.uint64(1)
        key = key | (has_tc.astype(np.int8) * CLOSED)
    derived = ATTENDANCE_TABLE[key]
    chosen = _mapped(options, lambda o: vocab.attendance_of(o) if o else -1, np.int8)
    return np.where(chosen >= 0, chosen, derived).astype(np.int8)


def _slips_dropped(start: Array, end: Array) -> Array:
    """No end (-1) where it runs long past midnight, as schedule.believable_end."""
    past_midnight = (end >= 0) & (end < start)
    slip = past_midnight & (end - start + DAY > LONGEST_PAST_MIDNIGHT_US)
    return np.where(slip, -1, end)


def _schedule(day: Array, start: Array, end: Array) -> tuple[Array, Array]:
    """(week, duration): start in the local week, and wall-clock length."""
    timed = (day >= 0) & (start >= 0)
    week = np.where(timed, day.astype(np.int64) * DAY + start, -1)
    duration = np.where(end < 0, HOUR, end - start + np.where(end <= start, DAY, 0))
    return week, np.where(timed, duration, 0)


def _names(meeting_names: list[Any], group_names: list[Any]) -> Array:
    """finder.text.name_key of each row; equal keys (a group's weekly meetings) shared."""
    pairs = list(zip(meeting_names, group_names, strict=True))
    return _mapped(pairs, lambda pair: name_key(*pair), object)


def from_rows(rows: Sequence[Sequence[Any]], vocab: Vocabulary) -> Columns:
    """Columns from rows shaped like loader.row_select()."""
    if not rows:
        return empty(vocab.words)
    ids, day, start, end, types, key, fellowship, lat, lng, tz, option, name, group = (
        list(c) for c in zip(*rows, strict=True)
    )
    day_arr = _mapped(day, lambda d: -1 if d is None else int(d), np.int8)
    start_us = _mapped(start, time_us, np.int64)
    end_us = _slips_dropped(start_us, _mapped(end, time_us, np.int64))
    week, duration = _schedule(day_arr, start_us, end_us)
    lat_arr, lng_arr = np.array(lat, dtype=np.float64), np.array(lng, dtype=np.float64)
    x, y, z = unit_vectors(lat_arr, lng_arr)
    type_rows = _types(types, vocab)
    key_arr = np.array(key, dtype=np.int8)
    return Columns(
        ids=np.array(ids, dtype=np.int64),
        lat=lat_arr,
        lng=lng_arr,
        x=x,
        y=y,
        z=z,
        day=day_arr,
        week=week,
        duration=duration,
        end=end_us,
        tod=_mapped(start_us.tolist(), _tod, np.int8),
        types=type_rows,
        attendance=_attendance(key_arr, type_rows, option, vocab),
        area=(key_arr & APPROXIMATE) != 0,
        fellowship=np.array(fellowship, dtype=np.int32),
        zone=_mapped(tz, vocab.zone_of, np.int16),
        names=_names(name, group),
    )
