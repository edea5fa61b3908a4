"""Calendar files: weekly events on the meeting's own wall clock, right across DST changes."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.sharing_support import events, freeze, hrefs, starts

NEW_YORK = ZoneInfo("America/New_York")


def ics(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response.data


def test_meeting_ics_is_a_weekly_event_in_its_zone(client, make_meeting, monkeypatch) -> None:
    freeze(monkeypatch, dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC))
    m = make_meeting(
        name="Step by Step",
        day=2,
        time=dt.time(19, 0),
        end_time=dt.time(20, 30),
        location_name="Grace Church",
        formatted_address="12 Oak St, Springfield, NY 10001",
    )
    body = ics(client, f"/meetings/{m.slug}.ics")
    (event,) = events(body)
    assert str(event["summary"]) == "Step by Step"
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 1, 19, 0, tzinfo=NEW_YORK)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 1, 20, 30, tzinfo=NEW_YORK)
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert str(event["location"]) == "Grace Church, 12 Oak St, Springfield, NY 10001"
    assert str(event["url"]) == f"http://localhost/meetings/{m.slug}"
    assert f"http://localhost/meetings/{m.slug}" in str(event["description"])
    zones = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["America/New_York"]


@pytest.mark.parametrize(
    ("now", "before", "after"),
    [
        # Spring forward on Sunday 14 March 2027: 7 pm is 00:00 UTC, then 23:00 UTC.
        (
            dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC),
            dt.datetime(2027, 3, 10, 0, 0, tzinfo=dt.UTC),
            dt.datetime(2027, 3, 16, 23, 0, tzinfo=dt.UTC),
        ),
        # Fall back on Sunday 7 November 2027: 7 pm is 23:00 UTC, then 00:00 UTC.
        (
            dt.datetime(2027, 10, 25, 12, tzinfo=dt.UTC),
            dt.datetime(2027, 11, 2, 23, 0, tzinfo=dt.UTC),
            dt.datetime(2027, 11, 10, 0, 0, tzinfo=dt.UTC),
        ),
    ],
)
def test_local_start_stays_put_across_daylight_saving(
    client, make_meeting, monkeypatch, now, before, after
) -> None:
    freeze(monkeypatch, now)
    m = make_meeting(day=2, time=dt.time(19, 0))
    body = ics(client, f"/meetings/{m.slug}.ics")
    (event,) = events(body)
    utc_starts = [s.astimezone(dt.UTC) for s in starts(event, 3)]
    assert before in utc_starts and after in utc_starts
    # The VTIMEZONE itself (not only the zone's name) gives the same offsets.
    (vtimezone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    own_rules = vtimezone.to_tz(lookup_tzid=False)
    for start in starts(event, 3):
        assert start.time() == dt.time(19, 0)
        by_own_rules = start.replace(tzinfo=own_rules)
        assert by_own_rules.astimezone(dt.UTC) == start.astimezone(dt.UTC)


def test_a_start_skipped_by_spring_forward_stays_on_the_wall_clock(
    client, make_meeting, monkeypatch
) -> None:
    # Saturday 7 March 2026: tomorrow at 2:30 am New York jumps to 3:30 am. The weekly rule
    # repeats the first start's wall time, so 3:30 there would stay 3:30 every week after.
    freeze(monkeypatch, dt.datetime(2026, 3, 7, 17, 0, tzinfo=dt.UTC))
    m = make_meeting(day=0, time=dt.time(2, 30), end_time=dt.time(3, 30))
    body = ics(client, f"/meetings/{m.slug}.ics")
    assert b"DTSTART;TZID=America/New_York:20260308T023000" in body
    assert b"DTEND;TZID=America/New_York:20260308T033000" in body
    (event,) = events(body)
    assert [s.time() for s in starts(event, 3)[1:]] == [dt.time(2, 30), dt.time(2, 30)]
    page = client.get(f"/meetings/{m.slug}").get_data(as_text=True)
    assert "dates=20260308T023000%2F20260308T033000" in page  # Add to Google Calendar


def test_online_meeting_carries_join_link_and_phone(client, make_meeting) -> None:
    m = make_meeting(
        approximate=True,
        conference_url="https://meet.example.com/owls",
        conference_phone="+16465550100,,123456#",
    )
    (event,) = events(ics(client, f"/meetings/{m.slug}.ics"))
    assert str(event["location"]) == "https://meet.example.com/owls"
    description = str(event["description"])
    assert "Join online: https://meet.example.com/owls" in description
    assert "+1 646-555-0100" in description
    assert "+16465550100,,123456#" in description


@pytest.mark.parametrize("language", ["en", "es"])
def test_hybrid_meeting_has_its_place_and_join_link(client, make_meeting, language) -> None:
    m = make_meeting(
        location_name="Hall",
        formatted_address="12-34 44th Ave, Long Island City, NY 11109, USA",
        conference_url="https://meet.example.com/h",
    )
    place = "Hall, 12-34 44th Ave, Long Island City, NY 11109, USA"  # what maps look up
    (event,) = events(ics(client, f"/meetings/{m.slug}.ics?lang={language}"))
    assert str(event["location"]) == place  # not "... USA or online"
    assert "https://meet.example.com/h" in str(event["description"])  # the online way in
    page = client.get(f"/meetings/{m.slug}?lang={language}").get_data(as_text=True)
    google = next(h for h in hrefs(page) if h.startswith("https://calendar.google.com/"))
    args = parse_qs(urlsplit(google).query)
    assert args["location"] == [place]
    assert "https://meet.example.com/h" in args["details"][0]


def test_other_zones_keep_their_own_time(client, make_meeting, monkeypatch) -> None:
    freeze(monkeypatch, dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC))
    m = make_meeting(day=0, time=dt.time(10, 0), latitude=34.05, longitude=-118.24)
    (event,) = events(ics(client, f"/meetings/{m.slug}.ics"))
    assert event["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert event.decoded("dtstart").replace(tzinfo=None) == dt.datetime(2026, 12, 6, 10, 0)
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=SU"


@pytest.mark.parametrize("path", ["/meetings/nope.ics", "/meetings/nope/qr.svg"])
def test_unknown_meetings_answer_404(client, path) -> None:
    assert client.get(path).status_code == 404


def test_meeting_without_a_time_has_no_calendar_file(client, make_meeting) -> None:
    m = make_meeting(day=None, time=None, end_time=None)
    assert client.get(f"/meetings/{m.slug}.ics").status_code == 404
    assert "Add to Google Calendar" not in client.get(f"/meetings/{m.slug}").get_data(True)


def test_unpublished_meeting_has_no_calendar_file(client, make_meeting) -> None:
    m = make_meeting(published=False)
    assert client.get(f"/meetings/{m.slug}.ics").status_code == 404


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [(40.7484, -73.9967, "America/New_York"), (-33.87, 151.21, "Australia/Sydney")],
)
def test_each_clock_change_starts_at_its_real_instant(
    client, make_meeting, monkeypatch, latitude, longitude, zone
) -> None:
    """RFC 5545 reads an observance's DTSTART in the offset before it: New York's spring
    change is 20270314T020000 (at 2:00 EST the clocks go to 3:00), not 030000."""
    freeze(monkeypatch, dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))
    m = make_meeting(day=2, time=dt.time(19, 0), latitude=latitude, longitude=longitude)
    body = ics(client, f"/meetings/{m.slug}.ics")
    (vtimezone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    tz = ZoneInfo(zone)
    changes = 0
    for part in vtimezone.subcomponents:
        before, after = part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO")
        if before == after:
            continue
        rdates = part.get("RDATE")
        lists = rdates if isinstance(rdates, list) else [rdates] if rdates is not None else []
        onsets = [part.decoded("DTSTART")] + [d.dt for dates in lists for d in dates.dts]
        for local in onsets:
            instant = (local - before).replace(tzinfo=dt.UTC)
            assert (instant - dt.timedelta(seconds=1)).astimezone(tz).utcoffset() == before
            assert instant.astimezone(tz).utcoffset() == after
            changes += 1
    assert changes >= 18  # two a year for the ten years a calendar may look ahead
    if zone == "America/New_York":
        assert b"DTSTART:20270314T020000" in body
