"""Phone polish (issue 12): places, late nights, meeting pages, favorites, milestones, links."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import finder.search
from finder.accounts.favorites import COOKIE_NAME, dump_cookie
from finder.geocoding import OfflineGeocoder, Place, locate
from finder.models import Meeting
from finder.search.present import zone_label
from tests.accounts_support import days_ago, register, text
from tests.conftest import FakeGeocoder

MakeMeeting = Callable[..., Meeting]
# Tuesday 3 June 2025, 10:30 pm in New York (EDT, UTC-4): late at night.
LATE = dt.datetime(2025, 6, 4, 2, 30, tzinfo=dt.UTC)
# Monday 2 June 2025, 5:00 pm in New York.
AFTERNOON = dt.datetime(2025, 6, 2, 21, 0, tzinfo=dt.UTC)
PHILADELPHIA = {"latitude": 39.9522, "longitude": -75.1710}


def stop_clock(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(finder.search, "now_utc", lambda: moment)


def page_text(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


# --- 2. addresses without a ZIP code ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("1904 Walnut St, Philadelphia", "Philadelphia, PA"),
        ("1904 Walnut St, Philadelphia, PA", "Philadelphia, PA"),
        ("1904 Walnut St, Philadelphia, Pennsylvania, USA", "Philadelphia, PA"),
        ("500 Broad St, Columbus", "Columbus, OH"),
    ],
)
def test_an_address_without_zip_falls_back_to_its_city_as_approximate(
    query: str, label: str
) -> None:
    place = OfflineGeocoder().geocode(query)
    assert place is not None
    assert place.label == label and place.approximate


def test_a_city_ending_in_us_is_not_cut_short() -> None:
    place = OfflineGeocoder().geocode("Columbus")
    assert place is not None and place.label == "Columbus, OH"


def test_the_results_page_says_the_fallback_is_approximate(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="Rittenhouse Group", **PHILADELPHIA)
    html = page_text(client, "/meetings?near=1904+Walnut+St%2C+Philadelphia")
    assert "We couldn" not in html
    assert "within 10 mi of Philadelphia, PA" in html
    assert "This location is approximate" in html
    assert "Rittenhouse Group" in html


def test_an_online_geocoder_looks_the_address_up(
    client: FlaskClient, fake_geocoder: FakeGeocoder, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="Rittenhouse Group", **PHILADELPHIA)
    exact = Place(39.9505, -75.1722, "1904 Walnut Street, Philadelphia", country="US")
    fake_geocoder.places["1904 walnut st, philadelphia"] = exact
    html = page_text(client, "/meetings?near=1904+Walnut+St%2C+Philadelphia")
    assert fake_geocoder.calls == ["1904 Walnut St, Philadelphia"]
    assert "of 1904 Walnut Street, Philadelphia" in html
    assert "approximate" not in html


# --- 3. ambiguous place names -------------------------------------------------------------


def test_a_bare_city_name_with_several_places_offers_the_choices(client: FlaskClient) -> None:
    html = page_text(client, "/meetings?near=Springfield&day=today&attendance=in_person")
    assert "Which Springfield?" in html
    links = re.findall(r'<li><a href="([^"]+)">(Springfield, \w\w)</a></li>', html)
    labels = [label for _, label in links]
    assert labels[:5] == [
        "Springfield, MA",
        "Springfield, IL",
        "Springfield, MO",
        "Springfield, VA",
        "Springfield, OH",
    ]
    args = parse_qs(urlsplit(links[0][0].replace("&amp;", "&")).query)
    assert args == {"near": ["Springfield, MA"], "day": ["today"], "attendance": ["in_person"]}
    assert "meetings within" not in html


@pytest.mark.parametrize(
    ("name", "first", "town"),
    [
        ("Toronto", "Toronto, Canada", "Toronto, OH"),
        ("London", "London, United Kingdom", "London, KY"),
        ("Harlem", "Harlem, NY", "Harlem, GA"),  # a neighbourhood the ZIP data files as NY
        ("Hollywood", "Hollywood, CA", "Hollywood, FL"),
    ],
)
def test_a_small_town_named_like_a_bigger_place_asks_which(
    client: FlaskClient, name: str, first: str, town: str
) -> None:
    """Someone typing "Toronto" is not sent to Toronto, Ohio, 250 miles from any meeting."""
    html = page_text(client, f"/meetings?near={name}")
    assert f"Which {name}?" in html
    labels = re.findall(r'<li><a href="/meetings\?near=[^"]+">([^<]+)</a></li>', html)
    assert labels[0] == first and town in labels
    assert "meetings within" not in html


@pytest.mark.parametrize(
    ("query", "label", "zone"),
    [
        ("Queens, NY", "Queens, NY", "America/New_York"),
        ("Harlem, NY", "Harlem, NY", "America/New_York"),
        ("Hollywood, CA", "Hollywood, CA", "America/Los_Angeles"),
        ("Toronto, Canada", "Toronto, Canada", "America/Toronto"),
    ],
)
def test_a_borough_a_neighbourhood_or_a_city_abroad_is_found(
    session: Session, query: str, label: str, zone: str
) -> None:
    """The ZIP data files Queens under Flushing, Jamaica and Astoria, and knows no Harlem, NY."""
    place = locate(session, query, None)
    assert (place.label, place.timezone, place.choices) == (label, zone, ())


def test_a_choice_leads_to_its_own_place(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(name="Harlem Hope", latitude=40.8116, longitude=-73.9465)
    html = page_text(client, "/meetings?near=Harlem,%20NY")
    assert "of Harlem, NY" in html and "Harlem Hope" in html


@pytest.mark.parametrize("name", ["Portland", "Philadelphia", "Boston"])
def test_a_city_that_clearly_wins_is_searched_straight_away(client: FlaskClient, name: str) -> None:
    html = page_text(client, f"/meetings?near={name}")
    assert "Which " not in html and "meetings within 10 mi of" in html


def test_a_city_with_its_state_is_not_ambiguous(session: Session) -> None:
    place = locate(session, "Springfield, MO", None)
    assert place.label == "Springfield, MO" and place.choices == ()


# --- 4. late at night ---------------------------------------------------------------------


def test_late_at_night_today_suggests_tomorrows_first_meetings(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, LATE)
    make_meeting(name="Tuesday Evening", day=2, time=dt.time(19, 0))  # over for today
    make_meeting(name="Wednesday Sunrise", day=3, time=dt.time(6, 30))
    make_meeting(name="Wednesday Noon", day=3, time=dt.time(12, 0))
    make_meeting(name="Thursday Noon", day=4, time=dt.time(12, 0))
    html = page_text(client, "/meetings?near=10001&day=today&attendance=in_person")
    assert "No more meetings today" in html
    assert html.index("Wednesday Sunrise") < html.index("Wednesday Noon")
    assert 'Tomorrow</span> at <span class="time">6:30 am' in html
    assert "Thursday Noon" not in html and "Tuesday Evening" not in html
    assert "Check the place name" not in html
    assert 'href="/meetings?near=10001&amp;day=tomorrow&amp;attendance=in_person"' in html


def test_an_empty_search_that_is_not_about_today_is_unchanged(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, LATE)
    make_meeting(name="Wednesday Sunrise", day=3, time=dt.time(6, 30), **PHILADELPHIA)
    html = page_text(client, "/meetings?near=10001&day=2&radius=1")
    assert "No more meetings today" not in html
    assert "No meetings match this search" in html


# --- 5. online and hybrid meeting pages ---------------------------------------------------


def test_hybrid_meeting_page_puts_joining_before_the_room(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(
        conference_url="https://zoom.us/j/123",
        conference_url_notes="Passcode 4242",
        conference_phone="+16465588656,,123#",
        conference_phone_notes="Meeting ID 123",
    )
    html = page_text(client, f"/meetings/{meeting.slug}")
    join = html.index("Join the meeting online")
    assert join < html.index("Passcode 4242") < html.index("Call in:")
    assert html.index("Call in:") < html.index("Meeting ID 123") < html.index('id="where-title"')
    assert html.index('id="where-title"') < html.index("Directions in Google Maps")


def test_online_meeting_page_has_no_directions(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(
        conference_url="https://zoom.us/j/123", attendance_option="online", name="Online Only"
    )
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert "Join the meeting online" in html and "Directions" not in html


# --- 9. words -----------------------------------------------------------------------------


def test_time_zones_are_named_as_people_say_them() -> None:
    winter = dt.datetime(2026, 1, 5, 12, tzinfo=ZoneInfo("America/New_York"))
    assert zone_label("America/New_York", winter) == "Eastern Time (EST)"
    assert zone_label("America/Los_Angeles", None) == "Pacific Time"
    assert zone_label("UTC", None) == "UTC"  # no name: as written


def test_the_meeting_page_names_the_zone_in_words(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC))
    meeting = make_meeting()
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert "Time zone: Eastern Time (EST)" in html
    assert "America/New York" not in html


# --- 6. favorites cards -------------------------------------------------------------------


def favorites_cookie(client: FlaskClient, *slugs: str) -> None:
    client.set_cookie(COOKIE_NAME, dump_cookie("test-secret", list(slugs)))


def test_favorites_cards_carry_what_search_cards_do(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, AFTERNOON)  # Monday 5:00 pm in New York
    make_meeting(slug="room", name="Room Group", day=1, time=dt.time(19, 0))
    make_meeting(
        slug="zoom",
        name="Zoom Group",
        day=1,
        time=dt.time(18, 0),
        conference_url="https://zoom.us/j/555",
        attendance_option="online",
    )
    favorites_cookie(client, "room", "zoom")
    html = page_text(client, "/me/favorites")
    room = html[html.index("Room Group") :]
    assert re.search(r"Today</span> at <span class=\"time\">7:00 pm EDT", room)
    assert "starts in 2 h" in room and "In person" in room
    zoom = html[html.index("Zoom Group") : html.index("Room Group")]  # soonest first
    assert "starts in 1 h" in zoom and "Online" in zoom
    assert 'href="https://zoom.us/j/555"' in zoom and "Join online" in zoom
    assert "Join online" not in room


def test_online_favorites_read_on_the_viewers_clock(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, AFTERNOON)
    make_meeting(
        slug="zoom",
        name="Zoom Group",
        day=1,
        time=dt.time(18, 0),
        conference_url="https://zoom.us/j/555",
        attendance_option="online",
    )
    register(client, timezone="America/Los_Angeles")
    client.post("/meetings/zoom/favorite", data={"action": "add"})
    html = page_text(client, "/me/favorites")
    assert re.search(r"Today</span> at <span class=\"time\">3:00 pm PDT", html)


# --- 7. a milestone today -----------------------------------------------------------------


def test_a_milestone_reached_today_is_celebrated_at_the_top(client: FlaskClient) -> None:
    register(client)
    client.post("/me/sobriety", data={"label": "Alcohol", "date": days_ago(90)})
    client.post("/me/sobriety", data={"label": "Gambling", "date": days_ago(45)})
    html = text(client.get("/me/sobriety"))
    assert "90 days today. Congratulations!" in html
    assert html.index("Congratulations") < html.index('class="sober-card"')
    assert html.count("Congratulations") == 1  # 45 days is not a milestone


# --- 10. saving without JavaScript --------------------------------------------------------


def test_saving_without_javascript_returns_to_the_same_card(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(slug="sunrise", name="Sunrise Group")
    html = page_text(client, "/meetings?near=10001")
    assert 'id="save-sunrise"' in html
    match = re.search(r'name="next" value="([^"]+)"', html)
    assert match and match.group(1) == "/meetings?near=10001#save-sunrise"
    r = client.post("/meetings/sunrise/favorite", data={"next": match.group(1)})
    assert r.status_code == 302 and r.headers["Location"] == "/meetings?near=10001#save-sunrise"


# --- 13. links carry rounded coordinates --------------------------------------------------


def test_every_link_from_a_location_search_needs_no_redirect(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    for n in range(30):  # two pages
        make_meeting(name=f"Group {n}", types=["O"])
    html = page_text(client, "/meetings?lat=40.748&lng=-73.997&type=O")
    links = {
        href.replace("&amp;", "&")
        for href in re.findall(r'href="(/meetings\?[^"]+)"', html)
        if "lat=" in href
    }
    # the next page, all pages to print and the other order (and the language switch,
    # which keeps the URL)
    assert len({href for href in links if "lang=" not in href}) == 3
    for href in links:
        args = parse_qs(urlsplit(href).query)
        for key in ("lat", "lng"):
            assert len(args[key][0].split(".")[1]) <= 3, href
        assert client.get(href).status_code in (200, 404), href
    values = re.findall(r'name="(?:lat|lng)" value="([^"]+)"', html)
    assert values == ["40.748", "-73.997"]
