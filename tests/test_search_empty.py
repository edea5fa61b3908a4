"""When a search finds nothing: the nearest match, online meetings anywhere, honest advice."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

import finder.search
from finder.models import Meeting

# Monday 2 June 2025, 6:35 pm in New York (EDT, UTC-4).
NOW = dt.datetime(2025, 6, 2, 22, 35, tzinfo=dt.UTC)
MANHATTAN = (40.7484, -73.9967)
CARD_TITLE = re.compile(r'<h2 class="card-title"><a href="/meetings/[^"]+">([^<]+)</a>')

MakeMeeting = Callable[..., Meeting]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(finder.search, "now_utc", lambda: NOW)


def page_text(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def north(miles: float) -> dict[str, float]:
    """A point this many miles north of midtown Manhattan (69.1 miles per degree)."""
    return {"latitude": MANHATTAN[0] + miles / 69.09, "longitude": MANHATTAN[1]}


def test_nearest_meeting_is_named_with_a_radius_that_reaches_it(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="Upstate Group", **north(34))
    html = page_text(client, "/meetings?near=10001")
    assert "No meetings match this search" in html
    assert "The nearest meeting is 34 mi away." in html
    link = 'href="/meetings?near=10001&amp;radius=50&amp;sort=distance"'
    assert f"{link}>Show meetings within 50 mi, nearest first</a>" in html
    # Following the link finds it.
    found = page_text(client, "/meetings?near=10001&radius=50&sort=distance")
    assert CARD_TITLE.findall(found) == ["Upstate Group"]


def test_nearest_beyond_fifty_miles_gets_a_wider_choice(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="Albany Group", **north(130))
    html = page_text(client, "/meetings?near=10001&radius=50")
    assert "The nearest meeting is 130 mi away." in html
    assert 'radius=250&amp;sort=distance">Show meetings within 250 mi, nearest first' in html
    found = page_text(client, "/meetings?near=10001&radius=250&sort=distance")
    assert CARD_TITLE.findall(found) == ["Albany Group"]


def test_nearest_respects_the_filters(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(name="Near Men", types=["M"], **north(20))
    make_meeting(name="Farther Women", types=["W"], **north(40))
    html = page_text(client, "/meetings?near=10001&type=W")
    assert "The nearest meeting with these filters is 40 mi away." in html
    assert "radius=50&amp;sort=distance&amp;type=W" in html


def test_nothing_anywhere_near_says_so(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(name="Los Angeles Group", latitude=34.05, longitude=-118.24)
    html = page_text(client, "/meetings?near=10001&radius=25")
    assert "There is no meeting within 250 mi of New York, NY 10001." in html
    assert "Show meetings within" not in html
    assert "Search within 50 mi" not in html  # no link to another empty page


def test_online_suggestion_is_online_meetings_anywhere(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(
        name="Chicago Online Women",
        types=["W"],
        day=2,
        latitude=41.88,
        longitude=-87.63,
        approximate=True,
        conference_url="https://zoom.us/j/1",
    )
    html = page_text(client, "/meetings?near=10001&type=W&day=tomorrow")
    assert "Online meetings near" not in html
    # "tomorrow" becomes Tuesday: without a place, the day would be read in UTC.
    link = "/meetings?day=2&type=W&attendance=online"
    assert f'href="{link.replace("&", "&amp;")}">Online meetings anywhere, soonest first' in html
    online = page_text(client, link)
    assert CARD_TITLE.findall(online) == ["Chicago Online Women"]


def test_location_search_does_not_ask_to_check_a_place_name(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="Los Angeles Group", latitude=34.05, longitude=-118.24)
    html = page_text(client, "/meetings?lat=40.748&lng=-73.997")
    assert "No meetings match this search" in html
    assert "Check the place name" not in html
    assert "within 250 mi of a shared location" in re.sub(r"<[^>]+>", "", html)
    typed = page_text(client, "/meetings?near=10001")
    assert "Check the place name, or try a nearby ZIP code." in typed


def test_no_online_meetings_anywhere_keeps_online_when_removing_filters(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="In Person", types=["O"])
    html = page_text(client, "/meetings?attendance=online&type=W")
    assert "0 online meetings" in html
    assert 'href="/meetings?attendance=online">Remove the filters</a>' in html
    bare = page_text(client, "/meetings?attendance=online")
    assert "Try one of these" not in bare
    assert "Check the place name" not in bare


def test_km_countries_get_km(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    france = {"timezone": "Europe/Paris", "country": "FR", "city": "Beauvais", "state": ""}
    make_meeting(name="Beauvais", latitude=49.43, longitude=2.08, **france)
    html = page_text(client, "/meetings?lat=48.85&lng=2.35&radius=50")
    assert "The nearest meeting is 67 km away." in html
    assert 'radius=100&amp;sort=distance">Show meetings within 100 km, nearest first' in html
