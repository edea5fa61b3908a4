"""Online meetings anywhere on the viewer's clock (device, ?tz= or account), their own in small."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

import finder.search
from finder.accounts.models import User
from finder.db import new_session
from finder.models import Meeting
from tests.accounts_support import register

# Monday 2 June 2025: 6:35 pm in New York, 3:35 pm in Los Angeles, Tuesday 7:35 am in Tokyo.
NOW = dt.datetime(2025, 6, 2, 22, 35, tzinfo=dt.UTC)
ONLINE = {"conference_url": "https://meet.example.com/demo/1", "approximate": True}
NY = {"latitude": 40.75, "longitude": -73.99, **ONLINE}
LA = {"latitude": 34.05, "longitude": -118.24, "city": "Los Angeles", **ONLINE}
TOKYO = {"latitude": 35.68, "longitude": 139.69, "city": "Tokyo", **ONLINE}
CARD = re.compile(
    r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>.*?<p class="when">(.*?)</p>', re.S
)

MakeMeeting = Callable[..., Meeting]


def cards(html: str) -> dict[str, str]:
    """Meeting name -> the words of its "when" line."""
    return {
        name: " ".join(re.sub(r"<[^>]+>", " ", when).split()) for name, when in CARD.findall(html)
    }


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    def freeze(now: dt.datetime) -> None:
        monkeypatch.setattr(finder.search, "now_utc", lambda: now)

    freeze(NOW)
    return freeze


@pytest.fixture
def around_the_world(make_meeting: MakeMeeting, frozen: object) -> None:
    make_meeting(name="LA Evening", day=1, time=dt.time(19), end_time=None, **LA)
    make_meeting(name="Tokyo Morning", day=2, time=dt.time(9), end_time=None, **TOKYO)


def test_times_on_the_devices_clock_with_the_meetings_own_in_small(
    client: FlaskClient, around_the_world: None
) -> None:
    client.set_cookie("tz", "America/New_York")
    html = client.get("/meetings?attendance=online").get_data(as_text=True)
    shown = cards(html)
    assert shown["Tokyo Morning"].startswith("Today at 8:00 pm EDT starts in 1 h 25 min")
    assert shown["Tokyo Morning"].endswith("Tuesday 9:00 am JST where the meeting is held")
    assert shown["LA Evening"].startswith("Today at 10:00 pm EDT")
    assert shown["LA Evening"].endswith("7:00 pm PDT where the meeting is held")  # same day
    assert "Times are in your time zone, US Eastern (New York)" in html
    assert list(shown) == ["Tokyo Morning", "LA Evening"]  # soonest first


def test_without_a_known_zone_each_meeting_keeps_its_own(
    client: FlaskClient, around_the_world: None
) -> None:
    html = client.get("/meetings?attendance=online&tz=Not/AZone").get_data(as_text=True)
    shown = cards(html)
    assert shown["Tokyo Morning"].startswith("Today at 9:00 am JST")
    assert "where the meeting is held" not in html
    assert "data-viewer-zone-missing" in html  # app.js fills in the device's zone


def test_the_url_beats_the_cookie_and_the_account_counts(
    client: FlaskClient, around_the_world: None
) -> None:
    assert register(client, timezone="America/Los_Angeles").status_code == 302
    html = client.get("/meetings?attendance=online").get_data(as_text=True)
    assert cards(html)["LA Evening"] == "Today at 7:00 pm PDT starts in 3 h 25 min"
    client.set_cookie("tz", "Asia/Tokyo")  # the device, travelling: it wins over the account
    html = client.get("/meetings?attendance=online").get_data(as_text=True)
    assert cards(html)["LA Evening"].startswith("Today at 11:00 am JST")
    html = client.get("/meetings?attendance=online&tz=Europe/London").get_data(as_text=True)
    assert cards(html)["LA Evening"].startswith("Tomorrow at 3:00 am BST")


def test_an_account_zone_nobody_picked_is_not_the_viewers(
    app: Flask, client: FlaskClient, around_the_world: None
) -> None:
    """Older accounts default to UTC without the person choosing it: that is no clock of theirs."""
    assert register(client, timezone="America/Los_Angeles").status_code == 302
    with app.app_context():
        session = new_session()
        session.execute(update(User).values(timezone="UTC", timezone_chosen=False))
        session.commit()
        session.close()
    html = client.get("/meetings?attendance=online").get_data(as_text=True)
    assert "data-viewer-zone-missing" in html  # not shown in UTC: each meeting's own zone
    assert not any("UTC" in when for when in cards(html).values())


def test_one_day_reads_the_same_on_every_card(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: Callable[[dt.datetime], None]
) -> None:
    # Sunday 11:30 pm in Los Angeles; already Monday 2:30 am in New York.
    frozen(dt.datetime(2025, 6, 2, 6, 30, tzinfo=dt.UTC))
    make_meeting(name="NY Sunday", day=0, time=dt.time(20), end_time=None, **NY)
    make_meeting(name="LA Sunday", day=0, time=dt.time(18), end_time=None, **LA)
    own = cards(client.get("/meetings?attendance=online").get_data(as_text=True))
    # At 2:30 am on Monday in New York, "Sunday" would read as last night: six days on is next.
    assert own["NY Sunday"].startswith("Next Sunday") and own["LA Sunday"].startswith("Next Sunday")
    client.set_cookie("tz", "America/Los_Angeles")
    mine = cards(client.get("/meetings?attendance=online").get_data(as_text=True))
    assert mine["NY Sunday"].startswith("Next Sunday at 5:00 pm PDT")
    assert mine["LA Sunday"].startswith("Next Sunday at 6:00 pm PDT")


def test_today_and_tomorrow_on_the_viewers_clock(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: object
) -> None:
    make_meeting(name="NY Tuesday Dawn", day=2, time=dt.time(6, 30), end_time=None, **NY)
    make_meeting(name="NY Monday Night", day=1, time=dt.time(21), end_time=None, **NY)
    client.set_cookie("tz", "Asia/Tokyo")  # Tuesday 7:35 am there
    today = cards(client.get("/meetings?attendance=online&day=today").get_data(as_text=True))
    assert set(today) == {"NY Tuesday Dawn", "NY Monday Night"}  # 10 am and 7:30 pm in Tokyo
    tomorrow = client.get("/meetings?attendance=online&day=tomorrow").get_data(as_text=True)
    assert cards(tomorrow) == {}
    client.set_cookie("tz", "America/New_York")
    today = cards(client.get("/meetings?attendance=online&day=today").get_data(as_text=True))
    assert set(today) == {"NY Monday Night"}


def test_a_place_search_keeps_the_places_clock(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: object
) -> None:
    make_meeting(name="Chelsea", day=1, time=dt.time(19))
    client.set_cookie("tz", "Asia/Tokyo")
    html = client.get("/meetings?near=10001").get_data(as_text=True)
    assert cards(html)["Chelsea"].startswith("Today at 7:00 pm")
    assert "where the meeting is held" not in html


def test_each_visitor_gets_their_own_clock_whoever_came_first(
    client: FlaskClient, around_the_world: None
) -> None:
    # Cards are kept between requests; the note of a meeting's own time must not be.
    tokyo = cards(client.get("/meetings?attendance=online&tz=Asia/Tokyo").get_data(as_text=True))
    assert tokyo["LA Evening"].endswith("7:00 pm PDT where the meeting is held")
    bare = client.get("/meetings?attendance=online&tz=Not/AZone").get_data(as_text=True)
    assert "where the meeting is held" not in bare
    assert cards(bare)["LA Evening"].startswith("Today at 7:00 pm PDT")
    york = cards(client.get("/meetings?attendance=online&tz=America/New_York").text)
    assert york["LA Evening"].startswith("Today at 10:00 pm EDT")
    assert york["LA Evening"].endswith("7:00 pm PDT where the meeting is held")
    again = client.get("/meetings?attendance=online&tz=Not/AZone").get_data(as_text=True)
    assert "where the meeting is held" not in again


def test_an_online_meetings_page_gives_the_time_on_the_visitors_clock(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: object
) -> None:
    tokyo = make_meeting(name="Tokyo Morning", day=2, time=dt.time(9), end_time=None, **TOKYO)
    html = client.get(f"/meetings/{tokyo.slug}?tz=America/New_York").get_data(as_text=True)
    assert "On your clock: Today at 8:00 pm EDT" in html
    assert "On your clock" not in client.get(f"/meetings/{tokyo.slug}?tz=Asia/Tokyo").text
    assert "On your clock" not in client.get(f"/meetings/{tokyo.slug}").text  # zone unknown
    room = make_meeting(name="Room Only", day=2, time=dt.time(9), latitude=35.68, longitude=139.69)
    assert "On your clock" not in client.get(f"/meetings/{room.slug}?tz=America/New_York").text


def test_a_meeting_in_progress_reads_start_to_end_on_the_visitors_clock(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: Callable[[dt.datetime], None]
) -> None:
    tokyo = make_meeting(name="Tokyo Morning", day=2, time=dt.time(9), end_time=None, **TOKYO)
    frozen(dt.datetime(2025, 6, 3, 0, 30, tzinfo=dt.UTC))  # 9:30 am in Tokyo: in progress
    html = client.get(f"/meetings/{tokyo.slug}?tz=America/New_York").get_data(as_text=True)
    assert "On your clock: 8:00 pm to 9:00 pm EDT" in html


def test_the_zone_given_in_the_url_stays_on_the_pages_links(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: object
) -> None:
    for n in range(30):  # two pages of online meetings
        make_meeting(name=f"Tokyo {n}", day=2, time=dt.time(9), end_time=None, **TOKYO)
    html = client.get("/meetings?attendance=online&tz=Pacific/Honolulu").get_data(as_text=True)
    assert 'href="/meetings?attendance=online&amp;page=2&amp;tz=Pacific/Honolulu"' in html
    second = client.get("/meetings?attendance=online&page=2&tz=Pacific/Honolulu").text
    assert "Times are in your time zone" in second  # page 2 still on the visitor's clock
    bare = client.get("/meetings?attendance=online&tz=Not/AZone").get_data(as_text=True)
    assert 'href="/meetings?attendance=online&amp;page=2"' in bare  # an unknown zone stays out


def test_a_weekday_and_a_time_of_day_on_the_viewers_clock(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: object
) -> None:
    # Wednesday 12:30 am in New York is Tuesday 9:30 pm in Los Angeles.
    make_meeting(name="NY After Midnight", day=3, time=dt.time(0, 30), end_time=None, **NY)
    make_meeting(name="NY Wednesday Noon", day=3, time=dt.time(12), end_time=None, **NY)
    client.set_cookie("tz", "America/Los_Angeles")
    tuesday = cards(client.get("/meetings?attendance=online&day=2").get_data(as_text=True))
    assert set(tuesday) == {"NY After Midnight"}
    assert tuesday["NY After Midnight"].startswith("Tomorrow at 9:30 pm PDT")
    wednesday = cards(client.get("/meetings?attendance=online&day=3").get_data(as_text=True))
    assert set(wednesday) == {"NY Wednesday Noon"}  # 9:00 am there
    night = cards(client.get("/meetings?attendance=online&time=night").get_data(as_text=True))
    assert set(night) == {"NY After Midnight"}  # 9:30 pm on the viewer's clock
    morning = client.get("/meetings?attendance=online&time=morning").get_data(as_text=True)
    assert set(cards(morning)) == {"NY Wednesday Noon"}
    # Without a known zone, each meeting's own clock decides, as its card shows.
    client.delete_cookie("tz")
    own = cards(client.get("/meetings?attendance=online&day=3").get_data(as_text=True))
    assert set(own) == {"NY After Midnight", "NY Wednesday Noon"}


def test_a_zone_that_is_none_is_not_copied_into_the_pages_links(
    client: FlaskClient, around_the_world: None
) -> None:
    junk = "a" * 3000
    html = client.get(f"/meetings?attendance=online&tz={junk}").get_data(as_text=True)
    assert junk not in html  # not in the star forms' way back, nor the language links
    assert 'value="/meetings?attendance=online#save-' in html
    assert 'href="/meetings?attendance=online&amp;lang=es"' in html
    good = client.get("/meetings?attendance=online&tz=Asia/Tokyo").get_data(as_text=True)
    assert "tz=Asia/Tokyo" in good and "tz=Asia%2FTokyo&amp;lang=es" in good


def test_tonight_online_runs_on_past_midnight_on_either_clock(
    client: FlaskClient, make_meeting: MakeMeeting, frozen: Callable[[dt.datetime], None]
) -> None:
    # Saturday 11:50 pm in New York: "Today" + "Night" is tonight, on to 5 am.
    frozen(dt.datetime(2026, 10, 4, 3, 50, tzinfo=dt.UTC))
    make_meeting(name="Night Owls", day=0, time=dt.time(0, 30), end_time=None, **NY)
    make_meeting(name="Sunday Dawn", day=0, time=dt.time(6, 0), end_time=None, **NY)
    url = "/meetings?attendance=online&day=today&time=night"
    assert set(cards(client.get(url).get_data(as_text=True))) == {"Night Owls"}  # own clock
    client.set_cookie("tz", "America/New_York")
    assert set(cards(client.get(url).get_data(as_text=True))) == {"Night Owls"}  # the phone's
    plain = "/meetings?attendance=online&day=today"
    assert cards(client.get(plain).get_data(as_text=True)) == {}  # without Night: midnight
