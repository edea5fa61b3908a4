"""The search pages as a person uses them: home, results, filters, meeting page, errors."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import finder.search
from finder.models import Group, Meeting, Source

# Monday 2 June 2025, 6:35 pm in New York (EDT, UTC-4).
NOW = dt.datetime(2025, 6, 2, 22, 35, tzinfo=dt.UTC)
MANHATTAN = (40.7484, -73.9967)
CARD_TITLE = re.compile(r'<h2 class="card-title"><a href="/meetings/[^"]+">([^<]+)</a>')

MakeMeeting = Callable[..., Meeting]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(finder.search, "now_utc", lambda: NOW)
    return NOW


def page_text(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def words(html: str) -> str:
    """The page's text without its tags."""
    return re.sub(r"<[^>]+>", "", html)


def titles(html: str) -> list[str]:
    return CARD_TITLE.findall(html)


def at(km_north: float) -> dict[str, float]:
    """A point km_north of the Manhattan center (about 111 km per degree)."""
    return {"latitude": MANHATTAN[0] + km_north / 111.2, "longitude": MANHATTAN[1]}


# --- home and layout ---------------------------------------------------------------------


def test_home_has_one_search_form_and_quick_links(client: FlaskClient) -> None:
    html = page_text(client, "/")
    assert html.count("<form") == 1
    assert 'action="/meetings" method="get"' in html
    assert '<label for="near">ZIP, city or address</label>' in html
    assert 'name="near"' in html
    assert re.search(r"<button[^>]*data-locate hidden>Use my location</button>", html)
    assert 'href="/meetings?attendance=online">Meetings online now</a>' in html


def test_layout_basics(client: FlaskClient) -> None:
    html = page_text(client, "/")
    assert '<html lang="en">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert re.search(r'<link rel="stylesheet" href="/static/app.css\?v=\w+">', html)
    assert re.search(r'<script src="/static/app.js\?v=\w+" defer></script>', html)
    assert 'class="skip-link" href="#main"' in html
    assert "No account needed. We don't track you." in html
    assert "generated examples" not in html


def test_home_says_demo_meetings_are_shown_when_demo_data_exists(
    client: FlaskClient, session: Session
) -> None:
    session.add(Source(name="Demo meetings", kind="demo"))
    session.commit()
    html = page_text(client, "/")
    assert "This site is showing generated demo meetings." in html


def test_demo_notice_only_where_demo_meetings_are_shown(
    client: FlaskClient, make_meeting: MakeMeeting, session: Session
) -> None:
    demo = make_meeting(name="Demo Group", source=Source(name="Demo", kind="demo"), **at(1))
    real = make_meeting(name="Real Group", source=Source(name="Feed", kind="feed"), **at(60))
    footer = "<strong>Demo data:</strong>"
    results = page_text(client, "/meetings?near=10001")
    assert titles(results) == ["Demo Group"]
    assert "Meetings marked “Demo listing” are generated examples" in results
    assert '<p class="demo-tag">Demo listing</p>' in results
    demo_page = page_text(client, f"/meetings/{demo.slug}")
    assert footer in demo_page and "Demo listing:" in demo_page
    assert "This meeting is a generated example" in demo_page
    for url in (f"/meetings/{real.slug}", "/meetings?near=10001&radius=50&sort=distance&page=2"):
        html = page_text(client, url, status=404 if "page=2" in url else 200)
        assert footer not in html and "generated" not in html, url
    real_only = page_text(client, "/meetings?lat=41.288&lng=-73.997&radius=5")
    assert titles(real_only) == ["Real Group"]
    assert footer not in real_only and "demo-tag" not in real_only
    assert footer not in page_text(client, "/meetings/no-such-meeting", status=404)


@pytest.mark.parametrize("path", ["/", "/meetings?near=10001", "/meetings/nope"])
def test_pages_send_security_headers_and_no_inline_code(
    client: FlaskClient, make_meeting: MakeMeeting, path: str
) -> None:
    make_meeting()
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    html = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert " style=" not in html and "<style" not in html
    assert "http://" not in html.replace("http://localhost", "")  # nothing loaded off-site


def test_static_files_are_served(client: FlaskClient) -> None:
    for name in ("app.css", "app.js", "favicon.svg"):
        assert client.get(f"/static/{name}").status_code == 200


# --- results -----------------------------------------------------------------------------


def test_zip_search_lists_nearby_meetings_only(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="Chelsea Noon", **at(1))
    make_meeting(name="Midtown Evening", **at(2))
    make_meeting(name="Los Angeles Group", latitude=34.05, longitude=-118.24)
    html = page_text(client, "/meetings?near=10001")
    assert "2 meetings within 10 mi of New York, NY 10001" in html
    assert set(titles(html)) == {"Chelsea Noon", "Midtown Evening"}
    assert 'value="10001"' in html  # the form keeps what was typed


def test_coordinates_search(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(name="Chelsea Noon", **at(1))
    html = page_text(client, "/meetings?lat=40.748&lng=-73.997")
    assert "1 meeting within 10 mi of a shared location" in words(html)
    assert titles(html) == ["Chelsea Noon"]
    assert 'name="lat" value="40.748"' in html  # kept for the filters form


def test_approximate_place_is_said(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(**at(1))
    html = page_text(client, "/meetings?near=123 Main Street, New York, NY 10001")
    assert "This location is approximate" in html


def test_unknown_place_shows_message_and_form(client: FlaskClient) -> None:
    html = page_text(client, "/meetings?near=Qwertyville")
    assert "We couldn&#39;t find “Qwertyville”" in html
    assert 'role="alert"' in html
    assert 'name="near"' in html


def test_empty_place_asks_for_one(client: FlaskClient) -> None:
    html = page_text(client, "/meetings?near=+")
    assert "Enter a ZIP code, a city and state, or an address." in html


def test_no_search_yet_shows_the_form(client: FlaskClient) -> None:
    html = page_text(client, "/meetings")
    assert "<h1>Find a meeting</h1>" in html
    assert 'role="alert"' not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("lat=91&lng=0", "latitude must be a number from -90 to 90"),
        ("lat=abc&lng=0", "latitude must be a number from -90 to 90"),
        ("lat=40.7", "latitude must be a number from -90 to 90"),
        ("lat=40&lng=181", "longitude a number from -180 to 180"),
        ("lat=nan&lng=inf", "latitude must be a number from -90 to 90"),
        ("near=10001&radius=3", "Distance must be one of 1, 2, 5, 10, 25, 50, 100, 250."),
        ("near=10001&radius=ten", "Distance must be one of"),
        ("near=10001&day=funday", "Day must be any, today, tomorrow or a weekday."),
        ("near=10001&day=7", "Day must be any, today, tomorrow or a weekday."),
        ("near=10001&time=brunch", "Time of day must be morning, midday"),
        ("near=10001&type=NOPE", "We don&#39;t know that meeting type."),
        ("near=10001&attendance=maybe", "Attendance must be in person, online or hybrid."),
        ("near=10001&fellowship=xyz", "We don&#39;t know that fellowship."),
        ("near=10001&sort=random", "Sort by soonest or by distance."),
        ("near=10001&page=0", "The page number must be a whole number, 1 or more."),
        ("near=10001&page=-1", "The page number must be a whole number, 1 or more."),
        ("near=10001&page=abc", "The page number must be a whole number, 1 or more."),
        ("near=10001&page=99999999999999999999", "The page number must be a whole number"),
    ],
)
def test_bad_input_gets_a_clear_message(client: FlaskClient, query: str, message: str) -> None:
    html = page_text(client, f"/meetings?{query}", status=400)
    assert message in html
    assert 'role="alert"' in html
    assert 'name="near"' in html  # the form is there to try again


def test_soonest_first_wraps_the_week(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    # Now: Monday 6:35 pm. Sunday comes last, Monday 6 pm is in progress, Monday 8 am is next week.
    make_meeting(name="Sunday Noon", day=0, time=dt.time(12), end_time=None, **at(0.5))
    make_meeting(name="Monday Morning", day=1, time=dt.time(8), end_time=dt.time(9), **at(0.2))
    make_meeting(name="Monday Six", day=1, time=dt.time(18), end_time=dt.time(19), **at(3))
    make_meeting(name="Monday Seven", day=1, time=dt.time(19), end_time=dt.time(20), **at(4))
    make_meeting(name="Tuesday Noon", day=2, time=dt.time(12), end_time=None, **at(1))
    make_meeting(name="Thursday", day=4, time=dt.time(12), end_time=None, **at(2))
    html = page_text(client, "/meetings?near=10001")
    assert titles(html) == [
        "Monday Six",
        "Monday Seven",
        "Tuesday Noon",
        "Thursday",
        "Sunday Noon",
        "Monday Morning",
    ]
    cards = html.split('class="card"')[1:]
    assert "in progress" in cards[0]
    assert 'Today</span> at <span class="time">7:00 pm' in cards[1]
    assert "starts in 25 min" in cards[1]
    assert 'Tomorrow</span> at <span class="time">noon' in cards[2]
    assert "Thursday" in cards[3]
    assert "Next Monday" in cards[5]
    assert "EDT" not in cards[1]  # one time zone: no abbreviations needed


def test_sort_by_distance(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(name="Far Soon", day=1, time=dt.time(19), **at(5))
    make_meeting(name="Near Later", day=3, time=dt.time(19), **at(0.5))
    make_meeting(name="Middle", day=2, time=dt.time(19), **at(2))
    soonest = page_text(client, "/meetings?near=10001")
    assert titles(soonest) == ["Far Soon", "Middle", "Near Later"]
    assert 'href="/meetings?near=10001&amp;sort=distance">Nearest</a>' in soonest
    nearest = page_text(client, "/meetings?near=10001&sort=distance")
    assert titles(nearest) == ["Near Later", "Middle", "Far Soon"]
    assert "0.3 mi" in nearest and "3.1 mi" in nearest


def test_a_rough_pins_distance_reads_about(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    # Placed only at its ZIP code's point: how far it is can only be said roughly.
    make_meeting(name="At The Zip Point", rough_point=True, **at(0))
    make_meeting(name="Two Km Up", rough_point=True, **at(2))
    make_meeting(name="Next Door", **at(0.05))
    for _ in range(2):  # the second time the cards are kept ones, filled in
        html = words(page_text(client, "/meetings?lat=40.748&lng=-73.997&sort=distance"))
        assert "about 0.1 mi" in html and "about 1.3 mi" in html
        assert "about &lt;" not in html
        assert "&lt; 0.1 mi" in html  # a real point that close is just "< 0.1 mi"
    spanish = words(page_text(client, "/meetings?lat=40.748&lng=-73.997&sort=distance&lang=es"))
    assert "a unos 0,1 mi" in spanish and "a unos 1,3 mi" in spanish
    assert "a unos &lt;" not in spanish


def test_radius_in_miles_for_the_us(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(name="Seven Miles Out", **at(12))  # 12 km = 7.5 mi
    assert titles(page_text(client, "/meetings?near=10001")) == ["Seven Miles Out"]
    assert titles(page_text(client, "/meetings?near=10001&radius=5")) == []
    assert "within 5 mi of" in page_text(client, "/meetings?near=10001&radius=5")


def test_radius_in_km_outside_the_us(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    paris = {"timezone": "Europe/Paris", "country": "FR", "city": "Paris", "state": ""}
    make_meeting(name="Marais", latitude=48.86, longitude=2.35, **paris)
    make_meeting(name="Twelve km", latitude=48.85 + 12 / 111.2, longitude=2.35, **paris)
    html = page_text(client, "/meetings?lat=48.85&lng=2.35")
    assert "1 meeting within 10 km of a shared location" in words(html)
    assert titles(html) == ["Marais"]
    assert "1.1 km" in html


def test_the_uk_measures_in_miles(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    london = {"timezone": "Europe/London", "country": "GB", "city": "London", "state": ""}
    make_meeting(name="Soho", latitude=51.52, longitude=-0.13, **london)
    html = page_text(client, "/meetings?lat=51.51&lng=-0.13")
    assert "1 meeting within 10 mi of a shared location" in words(html) and "0.7 mi" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("day=today", {"Monday Evening"}),  # an online meeting at an area: only when asked
        ("day=today&attendance=online", {"Monday Online"}),
        ("day=tomorrow", {"Tuesday Women"}),
        ("day=0", {"Sunday NA Morning"}),
        ("time=morning", {"Sunday NA Morning"}),
        ("time=morning&time=midday", {"Sunday NA Morning", "Tuesday Women"}),
        ("type=W", {"Tuesday Women"}),
        ("type=O&type=BE", {"Monday Evening"}),
        ("attendance=online", {"Monday Online", "Tuesday Women"}),  # hybrid is online too
        ("attendance=in_person", {"Monday Evening", "Tuesday Women", "Sunday NA Morning"}),
        ("attendance=hybrid", {"Tuesday Women"}),
        (
            "attendance=in_person&attendance=hybrid",
            {"Monday Evening", "Tuesday Women", "Sunday NA Morning"},
        ),
        ("fellowship=na", {"Sunday NA Morning"}),
        ("day=1&time=evening&attendance=in_person", {"Monday Evening"}),
    ],
)
def test_filters_filter(
    client: FlaskClient, make_meeting: MakeMeeting, query: str, expected: set[str]
) -> None:
    make_meeting(name="Monday Evening", day=1, time=dt.time(19), types=["O", "BE"], **at(1))
    make_meeting(
        name="Monday Online",
        day=1,
        time=dt.time(20),
        types=["C"],
        **at(1),
        approximate=True,
        conference_url="https://zoom.us/j/1",
    )
    make_meeting(
        name="Tuesday Women",
        day=2,
        time=dt.time(12),
        types=["W"],
        conference_phone="+1 555 0100",
        **at(2),
    )
    make_meeting(name="Sunday NA Morning", day=0, time=dt.time(7), fellowship="na", **at(3))
    html = page_text(client, f"/meetings?near=10001&{query}")
    assert set(titles(html)) == expected
    assert "Filters" in html and " on)" in html  # the summary counts active filters


def test_filter_panel_puts_common_filters_first_and_folds_the_types(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(**at(1))
    html = page_text(client, "/meetings?near=10001")
    order = [
        html.index(marker)
        for marker in (
            '<label for="day">Day</label>',
            "<legend>Time of day</legend>",
            "<legend>Attendance</legend>",
            '<label for="radius">Distance</label>',
            "<legend>Fellowship</legend>",
            '<details class="more-types">',
            'name="type" value="O"',
            '<div class="filter-submit"><button type="submit" class="button">Show meetings',
        )
    ]
    assert order == sorted(order)
    assert '<details class="more-types">' in html  # folded: no "open" when no type is picked
    picked = page_text(client, "/meetings?near=10001&type=W")
    assert '<details class="more-types" open>' in picked
    assert 'Meeting types <span class="count">(1 on)</span>' in picked


def test_today_is_today_at_the_search_center(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    # 22:35 UTC Monday is already Tuesday in Auckland.
    nz = {"timezone": "Pacific/Auckland", "country": "NZ", "city": "Auckland", "state": ""}
    make_meeting(
        name="Tuesday Auckland", day=2, time=dt.time(19), latitude=-36.85, longitude=174.76, **nz
    )
    html = page_text(client, "/meetings?lat=-36.85&lng=174.76&day=today")
    assert titles(html) == ["Tuesday Auckland"]


def test_pagination_keeps_filters(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    for n in range(30):
        make_meeting(name=f"Group {n:02d}", day=2, time=dt.time(6, n), types=["O"], **at(1))
    first = page_text(client, "/meetings?near=10001&type=O")
    assert len(titles(first)) == 25
    assert "30 meetings within 10 mi" in first
    assert "Showing" not in first  # page 1: the title says how many, and the cards come first
    assert 'href="/meetings?near=10001&amp;type=O&amp;page=2" rel="next"' in first
    second = page_text(client, "/meetings?near=10001&type=O&page=2")
    assert "Showing 26–30 of 30" in second
    assert titles(second) == [f"Group {n:02d}" for n in range(25, 30)]
    assert 'href="/meetings?near=10001&amp;type=O" rel="prev"' in second
    past = page_text(client, "/meetings?near=10001&type=O&page=3", status=404)
    assert "There is no page 3: these results end on page 2." in past
    far = page_text(client, "/meetings?near=10001&type=O&page=99999", status=404)
    assert "There is no page 99999: these results end on page 2." in far


def test_empty_result_suggests_next_steps(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(name="Far Away", latitude=34.05, longitude=-118.24)
    html = page_text(client, "/meetings?near=10001&radius=5&type=W")
    assert "No meetings match this search" in html
    assert "There is no meeting with these filters within 250 mi of New York, NY 10001." in html
    assert 'href="/meetings?near=10001&amp;radius=5">Remove the filters</a>' in html
    assert 'href="/meetings?type=W&amp;attendance=online">Online meetings anywhere' in html
    assert "Check the place name" in html


def test_online_meetings_anywhere(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    make_meeting(
        name="NY Online",
        day=1,
        time=dt.time(19),
        conference_url="https://zoom.us/j/1",
        approximate=True,
        **at(1),
    )
    make_meeting(
        name="LA Online",
        day=1,
        time=dt.time(16),
        conference_url="https://zoom.us/j/2",
        approximate=True,
        latitude=34.05,
        longitude=-118.24,
        timezone="America/Los_Angeles",
    )
    make_meeting(name="In Person Only", day=1, time=dt.time(19), **at(1))
    make_meeting(name="Hybrid Room", day=2, conference_url="https://zoom.us/j/3", **at(1))
    html = page_text(client, "/meetings?attendance=online")
    assert "3 online meetings, soonest first" in html
    assert set(titles(html)) == {"NY Online", "LA Online", "Hybrid Room"}
    assert "7:00 pm EDT" in html and "4:00 pm PDT" in html  # several zones: abbreviations shown


def test_user_text_is_escaped(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    meeting = make_meeting(name="<script>alert(1)</script>", notes="<b>bold</b>\nline two", **at(1))
    for url in ("/meetings?near=10001", f"/meetings/{meeting.slug}"):
        html = page_text(client, url)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;\nline two" in page_text(client, f"/meetings/{meeting.slug}")


def test_meeting_page_shows_everything(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    meeting = make_meeting(
        name="Chelsea Step Study",
        day=1,
        time=dt.time(19),
        end_time=dt.time(20, 30),
        types=["O", "ST", "X"],
        notes="Use the side door.\nCoffee at 6:45.",
        group="Chelsea Group",
        regions=["Manhattan", "Chelsea"],
        conference_url="https://zoom.us/j/123",
        conference_url_notes="Password: serenity",
        conference_phone="+1 646 555 0100,,123#",
        conference_phone_notes="Press 1 to join",
        formatted_address="339 W 24th St, New York, NY 10011, USA",
    )
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert "<h1>Chelsea Step Study</h1>" in html
    assert "Alcoholics Anonymous" in html
    assert "Mondays, 7:00 pm – 8:30 pm" in re.sub(r"</?span[^>]*>", "", html)
    assert "starts in 25 min" in html
    assert "Time zone: Eastern Time (EDT)" in html
    assert "339 W 24th St, New York, NY 10011, USA" in html
    assert "Manhattan › Chelsea" in html
    lat, lng = f"{meeting.location.latitude:.6f}", f"{meeting.location.longitude:.6f}"
    assert f"https://www.google.com/maps/dir/?api=1&amp;destination={lat},{lng}" in html
    assert f"https://maps.apple.com/?daddr={lat},{lng}" in html
    assert f'href="geo:{lat},{lng}?q={lat},{lng}(Community%20Hall%20' in html
    assert 'href="https://zoom.us/j/123" rel="noopener noreferrer"' in html
    assert "Password: serenity" in html
    assert 'href="tel:+16465550100,,123%23"' in html
    assert 'Call in: <span class="nowrap">+1 646-555-0100</span></span></a>' in html
    assert "also dials the meeting's access codes" in html
    assert "Press 1 to join" in html
    assert "Hybrid" in html
    assert "Step Study" in html and "Wheelchair Access" in html
    assert "Anyone may attend" in html  # Open explained
    assert "Use the side door.\nCoffee at 6:45." in html
    assert "Chelsea Group" in html
    assert '<div class="meeting-actions" data-slug="' in html
    updated = meeting.updated_at
    assert f'Last updated <time datetime="{updated.date().isoformat()}">' in html


def test_meeting_at_midnight_reads_tonight_at_midnight(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    # Monday 6:35 pm: a Tuesday 00:00 meeting starts at the end of tonight.
    meeting = make_meeting(name="Midnight Madness", day=2, time=dt.time(0), end_time=dt.time(1))
    card = page_text(client, "/meetings?near=10001").split('class="card"')[1]
    assert 'Tonight</span> at <span class="time">midnight</span>' in card
    assert "starts in 5 h 25 min" in card
    assert "12:00 am" not in card
    page = page_text(client, f"/meetings/{meeting.slug}")
    assert "Next: Tonight at midnight" in page


def test_phone_number_is_shown_for_people_and_dialled_whole(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    zoom = make_meeting(conference_phone="+16465588656,,85551234#")
    html = page_text(client, f"/meetings/{zoom.slug}")
    call = (
        'href="tel:+16465588656,,85551234%23"><span>Call in: <span class="nowrap">+1 646-558-8656'
    )
    assert call + "</span></span></a>" in html
    assert "also dials the meeting's access codes" in html
    local = make_meeting(conference_phone="6699006833")
    html = page_text(client, f"/meetings/{local.slug}")
    assert (
        'href="tel:6699006833"><span>Call in: <span class="nowrap">(669) 900-6833</span></span></a>'
        in html
    )
    assert "access codes" not in html
    words = make_meeting(conference_phone="ask at the door", conference_phone_notes="Ext. 2")
    html = page_text(client, f"/meetings/{words.slug}")
    assert "<p>Call in: ask at the door</p>" in html and "Ext. 2" in html  # no tel: link
    assert 'href="tel:' not in html


@pytest.mark.parametrize("junk", [",", " . ", "-\n-", "()"])
def test_notes_of_only_punctuation_are_not_shown(
    client: FlaskClient, make_meeting: MakeMeeting, junk: str
) -> None:
    meeting = make_meeting(
        notes=junk,
        location_notes=junk,
        group=Group(name="Some Group", notes=junk),
        conference_url="https://zoom.us/j/1",
        conference_url_notes=junk,
        conference_phone="+16465588656",
        conference_phone_notes=junk,
        types=[],
    )
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert 'class="notes"' not in html
    assert "About this meeting" not in html


def test_other_meetings_at_the_same_place(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    first = make_meeting(name="Here Monday", day=1)
    make_meeting(name="Here Friday", day=5, time=dt.time(12), location=first.location)
    make_meeting(name="Here Hidden", day=3, location=first.location, published=False)
    make_meeting(name="Elsewhere", day=2)
    html = page_text(client, f"/meetings/{first.slug}")
    assert "Other meetings here" in html
    assert "Here Friday" in html and "Friday 12:00 pm" in html
    assert "Here Hidden" not in html and "Elsewhere" not in html


def test_open_in_a_maps_app_drops_a_named_pin(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    # A bare geo:lat,lng only centres an Android map, with no pin to walk to.
    meeting = make_meeting(location_name="St. Mark's (Parish Hall)", latitude=40.75, longitude=-74)
    html = page_text(client, f"/meetings/{meeting.slug}")
    point = "40.750000,-74.000000"
    assert f'href="geo:{point}?q={point}(St.%20Mark%27s%20Parish%20Hall)"' in html


def test_approximate_location_has_no_directions_or_street(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(approximate=True, address="1 Fake St", conference_url="https://x.org/j")
    make_meeting(name="Unrelated Online", location=meeting.location)
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert "Unrelated Online" not in html  # a shared approximate point: no "other meetings here"
    assert "google.com/maps" not in html and "maps.apple.com" not in html and "geo:" not in html
    assert "Fake St" not in html
    assert "The group is based in New York, NY." in html
    assert "Online only" in html


def test_online_only_meeting_has_no_directions(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    meeting = make_meeting(address="", formatted_address="", conference_phone="555-0100")
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert "google.com/maps" not in html and "geo:" not in html
    assert 'href="tel:5550100"' in html


def test_unsafe_join_link_is_not_linked(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    meeting = make_meeting(conference_url="javascript:alert(1)")
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert "javascript:" not in html
    assert "doesn't look safe to open" in html


def test_demo_listing_is_labelled(
    client: FlaskClient, make_meeting: MakeMeeting, session: Session
) -> None:
    source = Source(name="Demo", kind="demo")
    session.add(source)
    meeting = make_meeting(source=source)
    html = page_text(client, f"/meetings/{meeting.slug}")
    assert "Demo listing:" in html


@pytest.mark.parametrize("published", [False, None])
def test_unknown_or_unpublished_meeting_is_a_friendly_404(
    client: FlaskClient, make_meeting: MakeMeeting, published: bool | None
) -> None:
    slug = make_meeting(published=False).slug if published is False else "no-such-meeting"
    html = page_text(client, f"/meetings/{slug}", status=404)
    assert "Page not found" in html
    assert 'href="/">Search for a meeting</a>' in html
    assert '<link rel="stylesheet"' in html


def test_a_full_page_stays_small(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    for n in range(30):
        make_meeting(name=f"Group {n}", types=["O", "D", "X", "BE"], **at(1))
    body = client.get("/meetings?near=10001").get_data()
    assert len(gzip.compress(body)) < 20_000


def test_server_error_page_is_friendly_and_needs_no_database(
    app: Flask, client: FlaskClient
) -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    app.extensions["finder.engine"].dispose()
    html = page_text(client, "/broken-for-test", status=500)
    assert "Something went wrong" in html
    assert "boom" not in html
    assert "Demo data" not in html
    assert '<link rel="stylesheet"' in html


def test_inactive_meeting_is_not_offered_or_shown_as_running(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wednesday 19:30 in New York: a 19:00-20:00 Wednesday meeting would be running.
    now = dt.datetime(2026, 11, 26, 0, 30, tzinfo=dt.UTC)
    monkeypatch.setattr("finder.search.now_utc", lambda: now)
    active = make_meeting(name="Active Group", day=3, **at(1))
    paused = make_meeting(name="Paused Group", day=3, attendance_option="inactive", **at(1))
    html = page_text(client, "/meetings?near=10001")
    assert active.name in html and paused.name not in html
    page = page_text(client, f"/meetings/{paused.slug}")
    assert "temporarily inactive" in page
    assert "In progress" not in page
    assert "In progress" in page_text(client, f"/meetings/{active.slug}")


def test_today_after_midnight_keeps_last_nights_meeting_still_going(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 12:10 am Sunday in New York: Saturday's 11:30 pm meeting runs until 12:30 am.
    now = dt.datetime(2026, 10, 4, 4, 10, tzinfo=dt.UTC)
    monkeypatch.setattr("finder.search.now_utc", lambda: now)
    running = dict(day=6, time=dt.time(23, 30), end_time=dt.time(0, 30))
    make_meeting(name="Last Call", **running, **at(1))
    make_meeting(name="Saturday Nooners", day=6, time=dt.time(12), **at(1))
    make_meeting(name="Sunday Early", day=0, time=dt.time(0, 30), end_time=dt.time(1, 30), **at(1))
    html = page_text(client, "/meetings?near=10001&day=today")
    assert "Last Call" in html and "in progress" in html
    assert "Sunday Early" in html
    assert "Saturday Nooners" not in html  # yesterday's, a week away now


def test_today_at_night_runs_on_past_midnight_to_5_am(
    client: FlaskClient, make_meeting: MakeMeeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 11:50 pm Saturday in New York: "Today" + "Night" is tonight, and tonight runs on.
    now = dt.datetime(2026, 10, 4, 3, 50, tzinfo=dt.UTC)
    monkeypatch.setattr("finder.search.now_utc", lambda: now)
    make_meeting(name="Last Call", day=6, time=dt.time(23, 0), end_time=dt.time(0, 0), **at(1))
    make_meeting(name="Night Owls", day=0, time=dt.time(0, 30), end_time=dt.time(1, 30), **at(1))
    make_meeting(name="Sunday Sunset", day=0, time=dt.time(21, 0), **at(1))
    make_meeting(name="Sunday Dawn", day=0, time=dt.time(6, 0), **at(1))
    html = page_text(client, "/meetings?near=10001&day=today&time=night")
    assert "Last Call" in html and "Night Owls" in html
    assert "Sunday Sunset" not in html and "Sunday Dawn" not in html
    assert "Night Owls" not in page_text(client, "/meetings?near=10001&day=today")
