"""Printed results say when they were made: "Today" on paper read the next day needs a date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

import finder.search
import finder.search.params
from finder.models import Meeting

# Monday 30 November 2026, 2:07 pm in New York (EST, UTC-5).
NOW = dt.datetime(2026, 11, 30, 19, 7, tzinfo=dt.UTC)
PRINTED = re.compile(r'<p class="print-only printed-at">([^<]+)</p>')


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(finder.search, "now_utc", lambda: NOW)


def printed(client: FlaskClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return PRINTED.findall(response.get_data(as_text=True))


def test_nearby_results_print_the_date_in_the_places_zone(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(name="Chelsea Early Birds")
    assert printed(client, "/meetings?near=40.7484,-73.9967") == [
        "Printed Monday, November 30, 2026, 2:07 pm EST"
    ]
    # In Spanish the date and the clock are Spanish (the sentence is the catalog's).
    (spanish,) = printed(client, "/meetings?near=40.7484,-73.9967&lang=es")
    assert spanish.endswith("lunes, 30 de noviembre de 2026, 14:07 EST")  # mid-sentence


def test_online_results_print_the_date_on_the_clock_their_today_uses(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(
        name="Tokyo Morning",
        latitude=35.68,
        longitude=139.69,
        conference_url="https://meet.example.com/demo/1",
        approximate=True,
    )
    # No zone known for the viewer: "Today" is the meeting's own, in Tokyo.
    assert printed(client, "/meetings?attendance=online") == [
        "Printed Tuesday, December 1, 2026, 4:07 am JST"
    ]
    client.set_cookie("tz", "America/Chicago")  # the device's zone: "Today" is the viewer's
    assert printed(client, "/meetings?attendance=online") == [
        "Printed Monday, November 30, 2026, 1:07 pm CST"
    ]


def test_the_printed_date_is_for_paper_only(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(name="Chelsea Early Birds")
    css = client.get("/static/app.css").get_data(as_text=True)
    assert ".print-only { display: none; }" in css
    assert printed(client, "/meetings?near=10001")


def test_printed_results_name_their_filters(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(name="Chelsea Women", day=1, types=["W"])
    html = client.get("/meetings?near=10001&day=1&type=W").get_data(as_text=True)
    assert '<p class="print-only printed-filters">Monday, Women</p>' in html
    plain = client.get("/meetings?near=10001").get_data(as_text=True)
    assert "printed-filters" not in plain


def names_listed(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a [^>]*>([^<]+)</a>', html)


def thirty_two_meetings(make_meeting: Callable[..., Meeting]) -> None:
    for n in range(32):
        make_meeting(name=f"Meeting {n:02d}", latitude=40.7484 + n * 0.0005, longitude=-73.9967)


def test_a_printed_first_page_says_the_list_goes_on_and_offers_all_of_it(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    """A sponsor printing 32 meetings got 25 on paper and nothing saying the rest existed."""
    thirty_two_meetings(make_meeting)
    html = client.get("/meetings?near=40.7484,-73.9967&sort=distance").get_data(as_text=True)
    assert len(names_listed(html)) == 25
    assert '<p class="print-only">Meetings 1–25 of 32: the rest are on the next pages.</p>' in html
    link = re.search(r'<p class="all-pages screen-only"><a href="([^"]+)">([^<]+)</a>', html)
    assert link is not None and link.group(2) == "All 32 meetings on one page, to print"
    assert "Make a list of the 25 meetings on this page for someone" in html

    everything = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "page=all" in link.group(1)
    assert sorted(names_listed(everything)) == [f"Meeting {n:02d}" for n in range(32)]
    assert "the rest are on the next pages" not in everything
    assert 'rel="next"' not in everything and "All 32 meetings" not in everything
    # A list holds up to 30 meetings: no link that would only be refused.
    assert "Make a list of" not in everything


def test_all_on_one_page_has_a_ceiling_it_states(
    client: FlaskClient, make_meeting: Callable[..., Meeting], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finder.search.params, "ALL_LIMIT", 30)
    thirty_two_meetings(make_meeting)
    html = client.get("/meetings?near=40.7484,-73.9967&page=all").get_data(as_text=True)
    assert len(names_listed(html)) == 30
    assert "The first 30 of 32 meetings: narrow the search to see the rest." in html


def test_one_page_of_results_has_no_print_all_link(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(name="Chelsea Early Birds")
    html = client.get("/meetings?near=40.7484,-73.9967").get_data(as_text=True)
    assert "on one page, to print" not in html and "next pages" not in html
    assert "Make a list of these meetings for someone" in html


def test_a_printed_dial_in_shows_the_number_and_then_the_meeting_id(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    meeting = make_meeting(
        name="Chelsea Dial In",
        conference_url="https://zoom.us/j/67304837151",
        conference_phone="+12125550100,,67304837151#",
    )
    printed_reach = re.compile(r'<p class="print-only print-reach">(.+?)</p>')
    for url in (f"/meetings/{meeting.slug}", "/meetings?near=10001"):
        html = client.get(url).get_data(as_text=True)
        assert [re.sub("<[^>]+>", "", p) for p in printed_reach.findall(html)] == [
            "Join online: https://zoom.us/j/67304837151",
            "Call in: +1 212-555-0100",
            "When the call connects, dial: 67304837151#",
        ], url
        assert '<span class="nowrap">+1 212-555-0100</span>' in html  # one line on paper
        assert ",,67304837151#" not in html.replace('href="tel:+12125550100,,67304837151%23"', "")
