"""What the search pages take in and echo: rounded positions, no control characters."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from finder.models import Meeting

MakeMeeting = Callable[..., Meeting]
STATIC = Path(__file__).resolve().parent.parent / "static"
# Any number with 4 or more decimals: a position closer than about 110 m.
PRECISE = re.compile(r"-?\d+\.\d{4,}")


def echoed_coordinates(html: str) -> list[str]:
    """Every lat/lng value in the page's links and form fields."""
    in_links = re.findall(r"(?:lat|lng)=([^&\"]+)", html)
    in_fields = re.findall(r'name="(?:lat|lng)" value="([^"]*)"', html)
    return in_links + in_fields


def test_precise_position_is_redirected_to_a_rounded_one(client: FlaskClient) -> None:
    response = client.get("/meetings?lat=40.748441&lng=-73.985664&type=O")
    assert response.status_code == 302
    assert response.headers["Location"] == "/meetings?lat=40.748&lng=-73.986&type=O"


def test_links_and_fields_carry_three_decimals_at_most(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    for n in range(30):  # two pages: next-page link, sort links, filter form
        make_meeting(name=f"Group {n}", latitude=40.7484, longitude=-73.9967)
    response = client.get("/meetings?lat=40.7484&lng=-73.9967", follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    values = echoed_coordinates(html)
    assert "40.748" in values and "-73.997" in values
    assert 'rel="next"' in html
    assert not [v for v in values if PRECISE.fullmatch(v)]
    assert "40.7484" not in html


def test_use_my_location_script_rounds_to_three_decimals() -> None:
    script = (STATIC / "app.js").read_text()
    assert "toFixed(3)" in script
    assert not re.search(r"toFixed\([4-9]\)", script)


@pytest.mark.parametrize(
    "query",
    ["near=100%0001", "near=10001%1b%5b31m", "near=%00%07New%0bYork%7f", "near=%e2%80%ae10001"],
)
def test_control_characters_are_stripped_before_use_and_echo(
    client: FlaskClient, make_meeting: MakeMeeting, query: str
) -> None:
    make_meeting(name="Chelsea Noon")
    response = client.get(f"/meetings?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]", html)


def test_a_nul_in_the_place_is_searched_without_it(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(name="Chelsea Noon")
    html = client.get("/meetings?near=100%0001").get_data(as_text=True)
    assert "1 meeting within 10 mi of New York, NY 10001" in html
    assert 'value="10001"' in html


@pytest.mark.parametrize(
    "param", ["day=today%00", "type=O%00", "sort=distance%00", "radius=25%00", "page=1%00"]
)
def test_control_characters_in_choices_are_ignored(
    client: FlaskClient, make_meeting: MakeMeeting, param: str
) -> None:
    make_meeting(name="Chelsea Noon")
    assert client.get(f"/meetings?near=10001&{param}").status_code == 200


def test_control_characters_in_a_meeting_address_are_a_404(client: FlaskClient) -> None:
    assert client.get("/meetings/some%00slug").status_code == 404


@pytest.mark.parametrize("near", ["zzzzqqq", "   "])
def test_a_place_not_found_marks_its_box_for_screen_readers(client: FlaskClient, near: str) -> None:
    html = client.get("/meetings", query_string={"near": near}).get_data(as_text=True)
    assert '<div class="alert" role="alert" id="search-errors">' in html
    assert re.search(r'id="near"[^>]* aria-invalid="true" aria-describedby="search-errors"', html)


def test_a_found_place_leaves_its_box_unmarked(client: FlaskClient) -> None:
    html = client.get("/meetings?near=10001").get_data(as_text=True)
    assert 'aria-invalid="true"' not in html
