"""Next start of many weekly meetings at once: finder.schedule.current_or_next, vectorized.

Instants are int64 microseconds since 1970-01-01 UTC; local wall-clock times are the
same count in a zone's "naive" local time. A zone's UTC offset around now is a short
list of transitions, so the offset of any local time is one searchsorted away, with
the same rule as zoneinfo's fold=0: a time skipped by a spring-forward change takes
the offset before the change, a repeated autumn time its first occurrence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from finder.schedule import sunday_weekday, zone

I64 = npt.NDArray[Any]  # int64
Bools = npt.NDArray[Any]  # bool

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EPOCH_ORDINAL = EPOCH.date().toordinal()
SECOND = 1_000_000
HOUR = 3600 * SECOND
DAY = 24 * HOUR
WEEK = 7 * DAY
# Local dates that matter around "today": last week's occurrence (still running?) to
# next week's, plus a day for meetings ending after midnight; a margin on both sides.
WINDOW_DAYS_BEFORE = 10
WINDOW_DAYS_AFTER = 17


def to_us(moment: dt.datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


def from_us(value: int, tz_name: str) -> dt.datetime:
    """The aware datetime in a zone for microseconds since the epoch."""
    return (EPOCH + dt.timedelta(microseconds=value)).astimezone(zone(tz_name))


@dataclass(frozen=True)
class ZoneClock:
    """A zone around now: local today, its weekday, and its offsets by local time."""

    today: int  # local date, days since 1970-01-01
    weekday: int  # 0 = Sunday
    thresholds: I64  # local wall-clock microseconds where the offset changes
    changes: I64  # the same changes as UTC instants
    offsets: I64  # microseconds; one more than thresholds

    @property
    def fixed(self) -> bool:
        """Whether the offset stays the same all through the window."""
        return not len(self.changes)

    def offset_of(self, local: I64) -> I64 | int:
        """UTC offset of local wall-clock times (fold=0)."""
        if not len(self.thresholds):
            return int(self.offsets[0])
        return self.offsets[np.searchsorted(self.thresholds, local, side="right")]

    def offset_at(self, instant: I64) -> I64 | int:
        """UTC offset at UTC instants."""
        if not len(self.changes):
            return int(self.offsets[0])
        return self.offsets[np.searchsorted(self.changes, instant, side="right")]


def _offset_at(tz_name: str, instant_s: int) -> int:
    moment = dt.datetime.fromtimestamp(instant_s, dt.UTC).astimezone(zone(tz_name))
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _transition(tz_name: str, lo: int, hi: int) -> int:
    """The first second in (lo, hi] whose offset differs from lo's."""
    before = _offset_at(tz_name, lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset_at(tz_name, mid) == before:
            lo = mid
        else:
            hi = mid
    return hi


Table = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


@lru_cache(maxsize=4096)
def _offset_table(tz_name: str, today: int) -> Table:
    """(wall-clock thresholds, UTC changes, offsets) in microseconds around `today`."""
    start = (today - WINDOW_DAYS_BEFORE) * 86400
    stop = (today + WINDOW_DAYS_AFTER) * 86400
    offsets = [_offset_at(tz_name, start)]
    thresholds: list[int] = []
    changes: list[int] = []
    previous = start
    for instant in range(start + 3600, stop + 3600, 3600):
        offset = _offset_at(tz_name, instant)
        if offset != offsets[-1]:
            at = _transition(tz_name, previous, instant)
            changes.append(at * SECOND)
            thresholds.append((at + max(offset, offsets[-1])) * SECOND)
            offsets.append(offset)
        previous = instant
    return tuple(thresholds), tuple(changes), tuple(o * SECOND for o in offsets)


def zone_clock(tz_name: str, now: dt.datetime) -> ZoneClock:
    """The clock of one zone at `now` (aware)."""
    local_today = now.astimezone(zone(tz_name)).date()
    today = local_today.toordinal() - EPOCH_ORDINAL
    thresholds, changes, offsets = _offset_table(tz_name, today)
    return ZoneClock(
        today=today,
        weekday=sunday_weekday(local_today),
        thresholds=np.array(thresholds, dtype=np.int64),
        changes=np.array(changes, dtype=np.int64),
        offsets=np.array(offsets, dtype=np.int64),
    )


@dataclass(frozen=True)
class Occurrences:
    """Start, end (UTC microseconds) and in-progress flags, one per meeting."""

    start: I64
    end: I64
    in_progress: Bools


def _instants(clock: ZoneClock, local_start: I64, end: I64, start: I64) -> tuple[I64, I64]:
    """UTC start and end of occurrences starting at local wall-clock times.

    Without an end time a meeting lasts an hour of wall-clock time, as aware datetime
    arithmetic in schedule.py has it (start + 1 h, resolved with fold=0).
    """
    utc_start = local_start - clock.offset_of(local_start)
    hour_later = utc_start + clock.offset_at(utc_start) + HOUR
    local_end = np.where(end < 0, hour_later, local_start - start + end)
    local_end += np.where((end >= 0) & (end <= start), DAY, 0)
    return utc_start, local_end - clock.offset_of(local_end)


def occurrences(clock: ZoneClock, day: I64, start: I64, end: I64, now_us: int) -> Occurrences:
    """current_or_next() for meetings of one zone: day 0-6, start/end microseconds of day.

    `end` is -1 where a meeting has no end time (it then lasts an hour).
    """
    local = (clock.today + (day - clock.weekday) % 7) * DAY + start
    s0, e0 = _instants(clock, local, end, start)
    if not len(clock.thresholds):
        duration = e0 - s0
        s_prev, e_prev = s0 - WEEK, e0 - WEEK
        s_next, e_next = s0 + WEEK, s0 + WEEK + duration
    else:
        s_prev, e_prev = _instants(clock, local - WEEK, end, start)
        s_next, e_next = _instants(clock, local + WEEK, end, start)
    future = s0 > now_us
    prev_running = (s_prev <= now_us) & (now_us < e_prev)
    running = now_us < e0
    use_prev = future & prev_running
    use_next = ~future & ~running
    chosen_start = np.where(use_prev, s_prev, np.where(use_next, s_next, s0))
    chosen_end = np.where(use_prev, e_prev, np.where(use_next, e_next, e0))
    return Occurrences(chosen_start, chosen_end, np.where(future, prev_running, running))


def fixed_occurrences(clock: ZoneClock, week: I64, duration: I64, now_us: int) -> Occurrences:
    """occurrences() where the zone's offset does not change around now: plain arithmetic.

    `week` is the start in microseconds from local Sunday 00:00, `duration` the length.
    The occurrence is the latest start at or before now while it runs, else the next.
    """
    local_now = now_us + int(clock.offsets[0])
    into_week = (local_now + 4 * DAY) % WEEK  # 1970-01-01 was a Thursday
    since = np.subtract(into_week, week)
    since %= WEEK  # time since the latest start
    running = since < duration
    start = np.subtract(now_us, since, out=since)
    np.add(start, WEEK, out=start, where=~running)
    return Occurrences(start, start + duration, running)
