"""Printed results say when they were made: "Today" on paper read the next day needs a date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

import finder.search
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
