"""The vectorized next start equals schedule.current_or_next, DST changes included."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import numpy as np
import pytest

from finder.schedule import believable_end, current_or_next
from finder.spatial.clock import (
    DAY,
    SECOND,
    fixed_occurrences,
    from_us,
    occurrences,
    to_us,
    zone_clock,
)

# Zones with unusual rules: 30-minute DST (Lord Howe), changes at midnight (Santiago,
# Havana), negative DST (Dublin), DST in the southern summer (Chatham, Apia).
ODD_ZONES = (
    "America/New_York",
    "Europe/London",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Africa/Casablanca",
    "Antarctica/Troll",
)


def _us(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * SECOND + value.microsecond


def _meetings(rng: random.Random, count: int) -> list[tuple[int, dt.time, dt.time | None]]:
    def at() -> dt.time:
        return dt.time(
            rng.choice((0, 1, 2, 3, 12, 23)), rng.choice((0, 30, 59)), rng.choice((0, 1))
        )

    meetings = []
    for _ in range(count):
        start = at()
        end = rng.choice((None, at(), start))
        meetings.append((rng.randrange(7), start, end))
    return meetings


def _check(tz: str, now: dt.datetime, meetings: list[tuple[int, dt.time, dt.time | None]]) -> None:
    clock = zone_clock(tz, now)
    day = np.array([m[0] for m in meetings], dtype=np.int64)
    start = np.array([_us(m[1]) for m in meetings], dtype=np.int64)
    # The index drops an end that runs long past midnight before it reaches the clock
    # (spatial.rows), as current_or_next does: the clock is given what both count.
    ends = [believable_end(m[1], m[2]) for m in meetings]
    end = np.array([-1 if e is None else _us(e) for e in ends], dtype=np.int64)
    general = occurrences(clock, day, start, end, to_us(now))
    results = [general]
    if clock.fixed:
        duration = np.where(end < 0, 3600 * SECOND, end - start + np.where(end <= start, DAY, 0))
        results.append(fixed_occurrences(clock, day * DAY + start, duration, to_us(now)))
    for i, (d, s, e) in enumerate(meetings):
        expected = current_or_next(d, s, e, tz, now)
        for got in results:
            assert (got.start[i], got.end[i], got.in_progress[i]) == (
                to_us(expected.start),
                to_us(expected.end),
                expected.in_progress,
            ), (tz, now, d, s, e)


@pytest.mark.parametrize("tz", ODD_ZONES)
def test_every_week_of_two_years_around_the_clock(tz: str) -> None:
    rng = random.Random(tz)
    meetings = _meetings(rng, 40)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    while now.year < 2028:
        _check(tz, now + dt.timedelta(minutes=rng.randrange(7 * 24 * 60)), meetings)
        now += dt.timedelta(days=3, hours=rng.randrange(24))


@pytest.mark.parametrize("tz", ODD_ZONES)
def test_nows_right_at_each_transition(tz: str) -> None:
    """Around each change: now just before, at and after it, and a week either side."""
    rng = random.Random(tz + "!")
    meetings = _meetings(rng, 60)
    zone = zoneinfo.ZoneInfo(tz)
    hour = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    previous = hour.astimezone(zone).utcoffset()
    while hour.year < 2041:
        offset = hour.astimezone(zone).utcoffset()
        if offset != previous:
            for shift in (-7 * 24 * 60, -61, -1, 0, 1, 29, 61, 6 * 24 * 60):
                _check(tz, hour + dt.timedelta(minutes=shift), meetings)
            previous = offset
        hour += dt.timedelta(hours=1) if hour.year < 2028 else dt.timedelta(hours=6)
        if hour.year == 2028:
            hour = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)  # far ahead: zoneinfo's POSIX rules
            previous = hour.astimezone(zone).utcoffset()


def test_a_sample_of_every_zone() -> None:
    rng = random.Random(7)
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc")
    )
    for tz in rng.sample(zones, 120):
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(10**6))
        _check(tz, now, _meetings(rng, 20))


def test_from_us_is_the_instant_in_the_meetings_zone() -> None:
    moment = dt.datetime(2026, 3, 8, 7, 30, 0, 123456, tzinfo=dt.UTC)
    local = from_us(to_us(moment), "America/New_York")
    assert local == moment
    assert (local.hour, local.minute, str(local.tzinfo)) == (3, 30, "America/New_York")
