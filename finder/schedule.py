"""Weekly meeting times: wall-clock times in each meeting's own time zone.

Days are 0 = Sunday .. 6 = Saturday, as in the Meeting Guide format. All
arithmetic goes through UTC so it is right across midnight, the end of the
week and both daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_timezone_name

DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
DEFAULT_DURATION = dt.timedelta(hours=1)
# An end earlier than the start goes past midnight (23:00 to 00:30); one that would make the
# meeting longer than this (11:30 to 00:30, 19:00 to 18:00) is more likely a slip.
LONGEST_PAST_MIDNIGHT = dt.timedelta(hours=12)

# Time-of-day buckets by local start time: (key, label, first minute, last minute + 1).
TIMES_OF_DAY: tuple[tuple[str, str, int, int], ...] = (
    ("morning", "Morning (5–11 am)", 5 * 60, 11 * 60),
    ("midday", "Midday (11 am–2 pm)", 11 * 60, 14 * 60),
    ("afternoon", "Afternoon (2–5 pm)", 14 * 60, 17 * 60),
    ("evening", "Evening (5–9 pm)", 17 * 60, 21 * 60),
    ("night", "Night (9 pm–5 am)", 21 * 60, 29 * 60),
)
TIME_OF_DAY_KEYS = tuple(key for key, *_ in TIMES_OF_DAY)
# "Night" runs on past midnight (to 5 am): until then people still call it last night, and
# "Today" at night is tonight.
_NIGHT_STOP = next(stop for key, _label, _first, stop in TIMES_OF_DAY if key == "night")
NIGHT_RUNS_ON = dt.timedelta(minutes=_NIGHT_STOP - 24 * 60)  # after midnight: 5 h
NIGHT_ENDS = (dt.datetime.min + NIGHT_RUNS_ON).time()


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; unknown names raise ValueError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def sunday_weekday(day: dt.date) -> int:
    """0 = Sunday .. 6 = Saturday for a date."""
    return (day.weekday() + 1) % 7


def wall_clock(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant a wall-clock time happens on a date in a zone.

    A time skipped by a spring-forward change lands just after the change
    (02:30 becomes 03:30); a repeated time in the autumn is its first occurrence.
    """
    local = dt.datetime.combine(day, time).replace(tzinfo=tz)
    return local.astimezone(dt.UTC).astimezone(tz)


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a weekly meeting, in the meeting's own zone."""

    start: dt.datetime
    end: dt.datetime
    in_progress: bool

    @cached_property
    def start_iso(self) -> str:
        """The start as ISO 8601 with its offset (kept: the search keeps occurrences)."""
        return self.start.isoformat()

    @property
    def duration(self) -> dt.timedelta:
        """Real elapsed time (Python subtracts same-zone datetimes on the wall clock)."""
        return self.end.astimezone(dt.UTC) - self.start.astimezone(dt.UTC)

    def minutes_until(self, now: dt.datetime) -> int:
        """Whole minutes from now until the start, rounded up; 0 once started."""
        seconds = (self.start.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds()
        return max(0, math.ceil(seconds / 60))


def _occurrence_on(
    day: dt.date, start: dt.time, end: dt.time | None, tz: ZoneInfo, now: dt.datetime
) -> Occurrence:
    start_at = wall_clock(day, start, tz)
    if end is None:
        end_at = start_at + DEFAULT_DURATION
    else:
        end_day = day if end > start else day + dt.timedelta(days=1)
        end_at = wall_clock(end_day, end, tz)
    # Compare in UTC: same-zone comparisons in Python ignore DST folds.
    now_utc = now.astimezone(dt.UTC)
    running = start_at.astimezone(dt.UTC) <= now_utc < end_at.astimezone(dt.UTC)
    return Occurrence(start_at, end_at, running)


def current_or_next(
    day: int, start: dt.time, end: dt.time | None, tz_name: str, now: dt.datetime
) -> Occurrence:
    """The occurrence in progress at `now`, or else the next one to start.

    `now` must be timezone-aware. The result is in the meeting's zone.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    end = believable_end(start, end)
    tz = zone(tz_name)
    local_today = now.astimezone(tz).date()
    ahead = (day - sunday_weekday(local_today)) % 7
    this_week = local_today + dt.timedelta(days=ahead)
    candidate = _occurrence_on(this_week, start, end, tz, now)
    if candidate.start.astimezone(dt.UTC) > now.astimezone(dt.UTC):
        # The previous occurrence (a week earlier) may still run past midnight.
        previous = _occurrence_on(this_week - dt.timedelta(days=7), start, end, tz, now)
        return previous if previous.in_progress else candidate
    if candidate.in_progress:
        return candidate
    return _occurrence_on(this_week + dt.timedelta(days=7), start, end, tz, now)


def wall_times(
    occurrence: Occurrence, start: dt.time, end: dt.time | None
) -> tuple[dt.datetime, dt.datetime]:
    """An occurrence's start and end as its wall clock lists them, for calendars: their
    weekly rule repeats the first start's wall time, so a 02:30 skipped by a spring-forward
    change must stay 02:30 there (as an instant it is 03:30, and would end as it starts)."""
    tz = occurrence.start.tzinfo
    day = occurrence.start.date()
    start_at = dt.datetime.combine(day, start, tzinfo=tz)
    end = believable_end(start, end)
    if end is None:
        return start_at, start_at + DEFAULT_DURATION
    end_day = day if end > start else day + dt.timedelta(days=1)
    return start_at, dt.datetime.combine(end_day, end, tzinfo=tz)


def local_weekday(now: dt.datetime, tz_name: str) -> int:
    """Today's weekday (0 = Sunday) on a zone's wall clock."""
    return sunday_weekday(now.astimezone(zone(tz_name)).date())


def end_of_local_day(now: dt.datetime, tz_name: str) -> dt.datetime:
    """The next midnight on the wall clock of a zone: when "today" ends there."""
    tz = zone(tz_name)
    tomorrow = now.astimezone(tz).date() + dt.timedelta(days=1)
    return wall_clock(tomorrow, dt.time(0, 0), tz)


def run_time(start: dt.time, end: dt.time) -> dt.timedelta:
    """How long a meeting runs from start to end on the wall clock, through midnight (to the
    microsecond, as the index counts it)."""
    day = dt.timedelta(days=1)
    return (_since_midnight(end) - _since_midnight(start)) % day


def _since_midnight(value: dt.time) -> dt.timedelta:
    return dt.timedelta(
        hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
    )


def ends_long_past_midnight(start: dt.time, end: dt.time) -> bool:
    """Whether an end before the start would make the meeting run past LONGEST_PAST_MIDNIGHT."""
    return end < start and run_time(start, end) > LONGEST_PAST_MIDNIGHT


def believable_end(start: dt.time, end: dt.time | None) -> dt.time | None:
    """The end to count "in progress" and calendar events by: none (so an hour) for one that
    runs long past midnight, most likely a slip (11:30 to 00:30 for 12:30). Pages still
    show the end as listed, with a word of caution; nobody is told a meeting that probably
    ended at lunchtime is on in the evening."""
    return None if end is not None and ends_long_past_midnight(start, end) else end


def time_of_day(start: dt.time) -> str:
    """The bucket key (morning, midday, afternoon, evening, night) of a start time."""
    minute = start.hour * 60 + start.minute
    for key, _label, first, stop in TIMES_OF_DAY:
        if first <= minute < stop or first <= minute + 24 * 60 < stop:
            return key
    raise AssertionError("buckets cover the whole day")


def format_time(value: dt.time | dt.datetime) -> str:
    """12-hour clock as people write it: 7:00 pm, 12:00 pm (noon)."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d} {suffix}"


GENERIC_ZONE = re.compile(r"[A-Z]{2,4}")


@lru_cache(maxsize=256)
def _generic_zone(tz_name: str, year: int) -> str | None:
    """ "ET" for a zone whose clocks change in that year (EST in winter, EDT in summer), when
    it has a short name for both seasons (CLDR's: the US and Canadian zones); else None."""
    tz = zone(tz_name)
    winter = dt.datetime(year, 1, 15, 12, tzinfo=tz).utcoffset()
    summer = dt.datetime(year, 7, 15, 12, tzinfo=tz).utcoffset()
    if winter == summer:
        return None
    name = get_timezone_name(tz, width="short", zone_variant="generic", locale="en_US")
    return name if GENERIC_ZONE.fullmatch(name) else None


def weekly_zone(moment: dt.datetime) -> str:
    """The zone of a weekly time ("Tuesdays 7:00 pm ET"), right in every week of the year:
    the season's abbreviation (EDT) would be wrong half of it. A zone whose clocks never
    change keeps its one abbreviation (HST, MST in Arizona); elsewhere without a short
    name for both seasons, the abbreviation at that instant (BST, CET)."""
    name = getattr(moment.tzinfo, "key", None)
    generic = _generic_zone(name, moment.year) if name else None
    return generic or tz_abbreviation(moment)


def tz_abbreviation(moment: dt.datetime) -> str:
    """The zone's abbreviation at that instant (EST, EDT, GMT, BST), or its offset."""
    name = moment.tzname() or ""
    if name and not name.startswith(("+", "-")):
        return name
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
