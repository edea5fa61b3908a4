"""Imported meetings keep wall-clock times in their own zone, right across both DST changes.

2026: the US springs forward on Sunday 8 March and falls back on Sunday 1 November
(at 02:00 local); the UK on Sunday 29 March and Sunday 25 October (at 01:00 UTC);
Phoenix never changes (UTC-7 all year).
"""

from __future__ import annotations

import datetime as dt

import pytest

from finder import api
from finder.nearby import Filters, find_hits
from tests.feeds_support import import_rows, meetings_of

NEW_YORK = (40.7484, -73.9967, "350 5th Ave, New York, NY 10118, USA")
LOS_ANGELES = (34.0537, -118.2428, "200 N Spring St, Los Angeles, CA 90012, USA")
LONDON = (51.5014, -0.1419, "Buckingham Palace Rd, London SW1A 1AA, UK")
PHOENIX = (33.4484, -112.0740, "200 W Washington St, Phoenix, AZ 85003, USA")


def sunday(slug: str, place: tuple[float, float, str], time: str, end: str, tz: str = ""):
    lat, lng, address = place
    row = {"name": slug, "slug": slug, "day": 0, "time": time, "end_time": end,
           "latitude": lat, "longitude": lng, "formatted_address": address}  # fmt: skip
    if tz:
        row["timezone"] = tz
    return row


ROWS = [
    sunday("ny-early", NEW_YORK, "01:30", "02:30", "America/New_York"),
    sunday("ny-skipped", NEW_YORK, "02:30", "03:30", "America/New_York"),
    sunday("ny-morning", NEW_YORK, "09:00", "10:00"),  # zone from the coordinates
    sunday("ny-overnight", NEW_YORK, "01:30", "03:30"),
    sunday("la-morning", LOS_ANGELES, "09:00", "10:00", "America/Los_Angeles"),
    sunday("london-morning", LONDON, "10:00", "11:00", "Europe/London"),
    sunday("london-early", LONDON, "01:30", "02:30"),
    sunday("phoenix-morning", PHOENIX, "09:00", "10:00", "America/Phoenix"),
]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture
def imported(app, session):
    report = import_rows(app, ROWS, name="zones")
    assert report.rejected == [] and report.warnings == []
    return meetings_of(session, "zones")


def next_start(session, meeting, now):
    loc = meeting.location
    hits = find_hits(session, loc.latitude, loc.longitude, 0.05, Filters(), now)
    return next(h for h in hits if h.meeting_id == meeting.id).occurrence


def test_wall_clock_times_and_zones_are_stored_as_the_feed_says(imported):
    assert {k: (m.time.strftime("%H:%M"), m.location.timezone) for k, m in imported.items()} == {
        "ny-early": ("01:30", "America/New_York"),
        "ny-skipped": ("02:30", "America/New_York"),
        "ny-morning": ("09:00", "America/New_York"),
        "ny-overnight": ("01:30", "America/New_York"),
        "la-morning": ("09:00", "America/Los_Angeles"),
        "london-morning": ("10:00", "Europe/London"),
        "london-early": ("01:30", "Europe/London"),
        "phoenix-morning": ("09:00", "America/Phoenix"),
    }


@pytest.mark.parametrize(
    ("now", "slug", "expected"),
    [
        # US spring forward: Saturday noon before; starts carry the new offsets
        ("2026-03-07T17:00:00+00:00", "ny-morning", "2026-03-08T09:00:00-04:00"),
        ("2026-03-07T17:00:00+00:00", "ny-early", "2026-03-08T01:30:00-05:00"),
        ("2026-03-07T17:00:00+00:00", "ny-skipped", "2026-03-08T03:30:00-04:00"),
        ("2026-03-07T17:00:00+00:00", "la-morning", "2026-03-08T09:00:00-07:00"),
        ("2026-03-07T17:00:00+00:00", "phoenix-morning", "2026-03-08T09:00:00-07:00"),
        ("2026-03-07T17:00:00+00:00", "london-morning", "2026-03-08T10:00:00+00:00"),
        # UK spring forward
        ("2026-03-28T12:00:00+00:00", "london-morning", "2026-03-29T10:00:00+01:00"),
        ("2026-03-28T12:00:00+00:00", "london-early", "2026-03-29T02:30:00+01:00"),
        ("2026-03-28T12:00:00+00:00", "phoenix-morning", "2026-03-29T09:00:00-07:00"),
        # UK fall back
        ("2026-10-24T12:00:00+00:00", "london-morning", "2026-10-25T10:00:00+00:00"),
        ("2026-10-24T12:00:00+00:00", "london-early", "2026-10-25T01:30:00+01:00"),
        ("2026-10-24T12:00:00+00:00", "ny-morning", "2026-10-25T09:00:00-04:00"),
        # US fall back: 01:30 happens twice (the first counts), 02:30 once
        ("2026-10-31T16:00:00+00:00", "ny-morning", "2026-11-01T09:00:00-05:00"),
        ("2026-10-31T16:00:00+00:00", "ny-early", "2026-11-01T01:30:00-04:00"),
        ("2026-10-31T16:00:00+00:00", "ny-skipped", "2026-11-01T02:30:00-05:00"),
        ("2026-10-31T16:00:00+00:00", "la-morning", "2026-11-01T09:00:00-08:00"),
        ("2026-10-31T16:00:00+00:00", "phoenix-morning", "2026-11-01T09:00:00-07:00"),
        # on the transition day itself, after the meeting: a week ahead, no longer shifted
        ("2026-03-08T15:00:00+00:00", "ny-early", "2026-03-15T01:30:00-04:00"),
        ("2026-11-01T15:00:00+00:00", "ny-morning", "2026-11-08T09:00:00-05:00"),
    ],
)
def test_next_start_at_the_meetings_own_coordinates(session, imported, now, slug, expected):
    occurrence = next_start(session, imported[slug], at(now))
    assert occurrence.start.isoformat() == expected


def test_a_meeting_spanning_the_spring_gap_is_in_progress_and_ends_on_time(session, imported):
    # 01:30 EST (06:30 UTC) to 03:30 EDT (07:30 UTC): one real hour
    occurrence = next_start(session, imported["ny-overnight"], at("2026-03-08T07:00:00+00:00"))
    assert occurrence.in_progress
    assert occurrence.start.isoformat() == "2026-03-08T01:30:00-05:00"
    assert occurrence.end.isoformat() == "2026-03-08T03:30:00-04:00"
    after = next_start(session, imported["ny-overnight"], at("2026-03-08T07:31:00+00:00"))
    assert not after.in_progress
    assert after.start.isoformat() == "2026-03-15T01:30:00-04:00"


def test_the_api_reports_next_start_with_the_offset_of_that_day(client, imported, monkeypatch):
    monkeypatch.setattr(api, "now_utc", lambda: at("2026-03-07T17:00:00+00:00"))
    lat, lng, _ = NEW_YORK
    answer = client.get(f"/api/v1/meetings?lat={lat}&lng={lng}&radius_km=1").get_json()
    starts = {m["slug"]: m["next_start"] for m in answer["meetings"]}
    assert starts["ny-morning"] == "2026-03-08T09:00:00-04:00"
    assert starts["ny-skipped"] == "2026-03-08T03:30:00-04:00"
