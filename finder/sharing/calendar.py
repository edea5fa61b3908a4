"""Calendar files (iCalendar, RFC 5545): each meeting a weekly event on its own wall clock.

DTSTART carries the meeting's IANA zone (TZID) with a VTIMEZONE, so calendars keep
7:00 pm at 7:00 pm across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

import icalendar

from finder.i18n import gettext as _
from finder.models import Meeting
from finder.schedule import current_or_next, wall_times
from finder.search.present import safe_web_url
from finder.sharing.links import RRULE_DAYS, describe, is_online_only, place_address

PRODID = "-//finder//meetings//EN"
# VTIMEZONE rules cover this many years from the first event: calendars rarely look further.
ZONE_YEARS = 10


def meeting_event(meeting: Meeting, page_url: str, now: dt.datetime, host: str) -> icalendar.Event:
    """A weekly VEVENT; needs a day and a time."""
    assert meeting.day is not None and meeting.time is not None
    occurrence = current_or_next(
        meeting.day, meeting.time, meeting.end_time, meeting.location.timezone, now
    )
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.slug}@{host}")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("summary", meeting.name)
    start, end = wall_times(occurrence, meeting.time, meeting.end_time)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("rrule", {"freq": "weekly", "byday": RRULE_DAYS[meeting.day]})
    event.add("url", page_url)
    join = safe_web_url(meeting.conference_url)
    # A hybrid meeting's "or online" is in the description (its join link), not in LOCATION.
    where = (join or _("online")) if is_online_only(meeting) else place_address(meeting)
    if where:
        event.add("location", where)
    event.add("description", describe(meeting, join, page_url))
    if meeting.attendance == "inactive":  # a closed room whose meeting goes on online is on
        event.add("status", "TENTATIVE")
    return event


def timed(meeting: Meeting) -> bool:
    """Whether a meeting has a regular weekly time, so it can be a calendar event."""
    return meeting.day is not None and meeting.time is not None


def calendar_of(
    meetings: Iterable[Meeting],
    page_url: Callable[[Meeting], str],
    now: dt.datetime,
    host: str,
    name: str = "",
) -> bytes:
    """An iCalendar file of weekly events; meetings without a regular time are left out."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    first = now.date()
    for meeting in meetings:
        if not timed(meeting):
            continue
        event = meeting_event(meeting, page_url(meeting), now, host)
        first = min(first, event.decoded("dtstart").date())
        cal.add_component(event)
    last = first + dt.timedelta(days=366 * ZONE_YEARS)
    cal.add_missing_timezones(first_date=first - dt.timedelta(days=7), last_date=last)
    for zone in cal.walk("VTIMEZONE"):
        spring_onsets_before_the_change(zone)
    return bytes(cal.to_ical())


def spring_onsets_before_the_change(zone: icalendar.cal.Component) -> None:
    """RFC 5545: an observance's onsets (DTSTART, RDATE) are wall-clock times in the offset in
    force before them (a US spring change at 02:00). icalendar writes the clocks-forward ones
    in the offset after (03:00): each is moved back where the IANA zone confirms the change
    at that instant, and left as it is otherwise."""
    tz = ZoneInfo(str(zone["TZID"]))
    for part in zone.subcomponents:
        before, after = part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO")
        if after <= before:
            continue
        rdates = part.get("RDATE")
        lists = rdates if isinstance(rdates, list) else [rdates] if rdates is not None else []
        more = [_onset(tz, d.dt, before, after) for dates in lists for d in dates.dts]
        start = _onset(tz, part.decoded("DTSTART"), before, after)
        del part["DTSTART"]
        part.add("DTSTART", start)
        if more:
            del part["RDATE"]
            part.add("RDATE", more)


def _onset(
    tz: ZoneInfo, local: dt.datetime, before: dt.timedelta, after: dt.timedelta
) -> dt.datetime:
    if _changes_at(tz, local - before, before, after):
        return local
    earlier = local - (after - before)
    return earlier if _changes_at(tz, earlier - before, before, after) else local


def _changes_at(
    tz: ZoneInfo, naive_utc: dt.datetime, before: dt.timedelta, after: dt.timedelta
) -> bool:
    instant = naive_utc.replace(tzinfo=dt.UTC)
    one_second = dt.timedelta(seconds=1)
    return (instant - one_second).astimezone(tz).utcoffset() == before and (
        instant.astimezone(tz).utcoffset() == after
    )
