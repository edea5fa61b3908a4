"""Next start and "in progress" across midnight, the week's end and DST changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from finder.schedule import (
    current_or_next,
    end_of_local_day,
    format_time,
    time_of_day,
    tz_abbreviation,
    weekly_zone,
)

UTC = dt.UTC
SUN, MON, SAT = 0, 1, 6


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(tz: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(tz))


def test_later_today_starts_today() -> None:
    now = local("America/New_York", 2026, 11, 23, 18, 35)  # a Monday
    occ = current_or_next(MON, dt.time(19, 0), dt.time(20, 0), "America/New_York", now)
    assert occ.start == local("America/New_York", 2026, 11, 23, 19, 0)
    assert not occ.in_progress
    assert occ.minutes_until(now) == 25


def test_already_over_today_moves_to_next_week() -> None:
    now = local("America/New_York", 2026, 11, 23, 20, 30)
    occ = current_or_next(MON, dt.time(19, 0), dt.time(20, 0), "America/New_York", now)
    assert occ.start == local("America/New_York", 2026, 11, 30, 19, 0)


def test_in_progress_is_the_current_occurrence() -> None:
    now = local("America/New_York", 2026, 11, 23, 19, 40)
    occ = current_or_next(MON, dt.time(19, 0), dt.time(20, 0), "America/New_York", now)
    assert occ.in_progress
    assert occ.start == local("America/New_York", 2026, 11, 23, 19, 0)
    assert occ.minutes_until(now) == 0


def test_saturday_night_meeting_still_in_progress_after_midnight_sunday() -> None:
    # Crosses midnight and the end of the week (Saturday -> Sunday).
    now = local("America/Chicago", 2026, 11, 29, 0, 15)  # Sunday 00:15
    occ = current_or_next(SAT, dt.time(23, 30), dt.time(0, 30), "America/Chicago", now)
    assert occ.in_progress
    assert occ.start == local("America/Chicago", 2026, 11, 28, 23, 30)
    assert occ.end == local("America/Chicago", 2026, 11, 29, 0, 30)


def test_sunday_morning_is_next_from_saturday_night() -> None:
    now = local("America/Denver", 2026, 11, 28, 22, 0)  # Saturday
    occ = current_or_next(SUN, dt.time(7, 0), None, "America/Denver", now)
    assert occ.start == local("America/Denver", 2026, 11, 29, 7, 0)
    assert occ.duration == dt.timedelta(hours=1)  # no end time: one hour


def test_meeting_in_another_zone_uses_its_own_clock() -> None:
    # 21:00 in New York is 18:00 in Los Angeles: a 19:00 LA meeting starts in an hour.
    now = local("America/New_York", 2026, 11, 23, 21, 0)
    occ = current_or_next(MON, dt.time(19, 0), None, "America/Los_Angeles", now)
    assert occ.minutes_until(now) == 60
    assert occ.start.utcoffset() == dt.timedelta(hours=-8)


@pytest.mark.parametrize(
    ("tz", "day", "now", "expected_utc"),
    [
        # Spring forward, New York, Sunday 8 March 2026: 19:00 is EDT (UTC-4).
        ("America/New_York", SUN, utc(2026, 3, 8, 1, 0), utc(2026, 3, 8, 23, 0)),
        # Same Sunday evening in Los Angeles: PDT (UTC-7).
        ("America/Los_Angeles", SUN, utc(2026, 3, 8, 1, 0), utc(2026, 3, 9, 2, 0)),
        # Phoenix keeps MST (UTC-7) all year.
        ("America/Phoenix", SUN, utc(2026, 3, 8, 1, 0), utc(2026, 3, 9, 2, 0)),
        # London springs forward on 29 March 2026: BST (UTC+1).
        ("Europe/London", SUN, utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 18, 0)),
        # Fall back, New York, Sunday 1 November 2026: 19:00 is EST (UTC-5).
        ("America/New_York", SUN, utc(2026, 11, 1, 4, 0), utc(2026, 11, 2, 0, 0)),
        ("America/Los_Angeles", SUN, utc(2026, 11, 1, 4, 0), utc(2026, 11, 2, 3, 0)),
        ("America/Phoenix", SUN, utc(2026, 11, 1, 4, 0), utc(2026, 11, 2, 2, 0)),
        # London falls back on 25 October 2026: GMT.
        ("Europe/London", SUN, utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 19, 0)),
    ],
)
def test_evening_meeting_on_dst_change_days(
    tz: str, day: int, now: dt.datetime, expected_utc: dt.datetime
) -> None:
    occ = current_or_next(day, dt.time(19, 0), dt.time(20, 0), tz, now)
    assert occ.start.astimezone(UTC) == expected_utc
    assert (occ.start.hour, occ.start.minute) == (19, 0)  # still 7 pm on the local clock


def test_time_skipped_by_spring_forward_lands_after_the_change() -> None:
    now = utc(2026, 3, 8, 0, 0)
    occ = current_or_next(SUN, dt.time(2, 30), dt.time(3, 30), "America/New_York", now)
    assert occ.start.astimezone(UTC) == utc(2026, 3, 8, 7, 30)  # 03:30 EDT
    assert occ.start.hour == 3


def test_repeated_hour_in_autumn_is_the_first_one() -> None:
    now = utc(2026, 11, 1, 0, 0)
    occ = current_or_next(SUN, dt.time(1, 30), dt.time(2, 30), "America/New_York", now)
    assert occ.start.astimezone(UTC) == utc(2026, 11, 1, 5, 30)  # 01:30 EDT
    assert occ.end.astimezone(UTC) == utc(2026, 11, 1, 7, 30)  # 02:30 EST: two real hours


def test_overnight_meeting_across_fall_back_ends_on_the_wall_clock() -> None:
    # Saturday 23:00 to 03:00 spanning the change: five real hours.
    now = utc(2026, 11, 1, 7, 30)  # 02:30 EST, Sunday
    occ = current_or_next(SAT, dt.time(23, 0), dt.time(3, 0), "America/New_York", now)
    assert occ.in_progress
    assert occ.duration == dt.timedelta(hours=5)


def test_week_later_across_spring_forward_is_167_hours() -> None:
    now = local("America/New_York", 2026, 3, 1, 20, 0)  # Sunday, after the meeting
    occ = current_or_next(SUN, dt.time(19, 0), None, "America/New_York", now)
    assert occ.start == local("America/New_York", 2026, 3, 8, 19, 0)
    assert occ.start.astimezone(UTC) - utc(2026, 3, 2, 0, 0) == dt.timedelta(hours=167)


def test_in_progress_during_the_repeated_hour() -> None:
    # 01:10 EST (the second 01:10) on 1 Nov 2026: a 00:30-01:30 meeting has ended in real time
    # (it ended at 01:30 EDT, 40 minutes earlier), though the wall clock reads 01:10.
    now = utc(2026, 11, 1, 6, 10)
    occ = current_or_next(SUN, dt.time(0, 30), dt.time(1, 30), "America/New_York", now)
    assert not occ.in_progress
    assert occ.start.date() == dt.date(2026, 11, 8)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        current_or_next(SUN, dt.time(19, 0), None, "UTC", dt.datetime(2026, 1, 1))


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        current_or_next(SUN, dt.time(19, 0), None, "Mars/Olympus", utc(2026, 1, 1))


@pytest.mark.parametrize(
    ("start", "bucket"),
    [
        (dt.time(4, 59), "night"),
        (dt.time(5, 0), "morning"),
        (dt.time(10, 59), "morning"),
        (dt.time(11, 0), "midday"),
        (dt.time(13, 59), "midday"),
        (dt.time(14, 0), "afternoon"),
        (dt.time(17, 0), "evening"),
        (dt.time(20, 59), "evening"),
        (dt.time(21, 0), "night"),
        (dt.time(0, 0), "night"),
    ],
)
def test_time_of_day_buckets(start: dt.time, bucket: str) -> None:
    assert time_of_day(start) == bucket


@pytest.mark.parametrize(
    ("value", "text"),
    [(dt.time(0, 5), "12:05 am"), (dt.time(12, 0), "12:00 pm"), (dt.time(19, 30), "7:30 pm")],
)
def test_format_time(value: dt.time, text: str) -> None:
    assert format_time(value) == text


def test_zone_abbreviations() -> None:
    assert tz_abbreviation(local("America/New_York", 2026, 7, 1, 12, 0)) == "EDT"
    assert tz_abbreviation(local("Europe/London", 2026, 1, 1, 12, 0)) == "GMT"
    assert tz_abbreviation(local("Asia/Kolkata", 2026, 1, 1, 12, 0)) == "IST"
    assert tz_abbreviation(local("America/Sao_Paulo", 2026, 1, 1, 12, 0)) == "UTC-03:00"


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        # The 25-hour day of the autumn change in New York ends at 05:00 UTC (midnight EST).
        (utc(2026, 11, 1, 12, 0), "America/New_York", utc(2026, 11, 2, 5, 0)),
        # 23:30 in Los Angeles is already the next day in UTC; "today" is still LA's.
        (utc(2026, 11, 26, 7, 30), "America/Los_Angeles", utc(2026, 11, 26, 8, 0)),
        (utc(2026, 3, 29, 0, 30), "Europe/London", utc(2026, 3, 29, 23, 0)),
    ],
)
def test_end_of_local_day(now: dt.datetime, tz: str, expected: dt.datetime) -> None:
    assert end_of_local_day(now, tz).astimezone(UTC) == expected


def test_a_weekly_time_names_a_zone_right_all_year() -> None:
    """ "Fridays 9:30 pm EST" sent in December misleads in June: a weekly line says ET."""
    for month in (1, 7):
        assert weekly_zone(local("America/New_York", 2026, month, 1, 12, 0)) == "ET"
        assert weekly_zone(local("America/Los_Angeles", 2026, month, 1, 12, 0)) == "PT"
        assert weekly_zone(local("America/Anchorage", 2026, month, 1, 12, 0)) == "AKT"
        # Clocks that never change keep their one name.
        assert weekly_zone(local("America/Phoenix", 2026, month, 1, 12, 0)) == "MST"
        assert weekly_zone(local("Pacific/Honolulu", 2026, month, 1, 12, 0)) == "HST"
        assert weekly_zone(local("Asia/Kolkata", 2026, month, 1, 12, 0)) == "IST"
    # No short name for both seasons: the season's, as a single date would say.
    assert weekly_zone(local("Europe/London", 2026, 7, 1, 12, 0)) == "BST"
    assert weekly_zone(local("America/Sao_Paulo", 2026, 1, 1, 12, 0)) == "UTC-03:00"
