"""Bugs a review found: each test reproduces one."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

import finder.search
from finder.models import Meeting

GZIP = {"Accept-Encoding": "gzip"}
ONLINE = {"conference_url": "https://meet.example.com/demo/1", "approximate": True}


@pytest.mark.parametrize("number", ["%C2%B2", "9" * 5000, "１"])
def test_odd_page_numbers_are_a_clear_400_not_a_crash(client: FlaskClient, number: str) -> None:
    response = client.get(f"/meetings?near=10001&page={number}")
    assert response.status_code == 400
    assert "page number must be a whole number" in response.get_data(as_text=True)


def test_api_day_with_a_unicode_digit_says_what_day_means(client: FlaskClient) -> None:
    response = client.get("/api/v1/meetings?lat=40.7&lng=-74&day=%C2%B2")
    assert response.status_code == 400
    assert "day must be today, tomorrow, any or 0-6" in response.get_json()["error"]


def test_api_type_codes_ignore_case(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting(types=["O", "12x12"])
    base = "/api/v1/meetings?lat=40.7484&lng=-73.9967"
    for code in ("O", "o", "12X12"):
        assert client.get(f"{base}&type={code}").get_json()["total"] == 1, code


def test_gzipped_cookie_free_answers_do_not_vary_by_cookie(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    for _ in range(10):
        make_meeting()
    api = client.get("/api/v1/meetings?lat=40.7484&lng=-73.9967", headers=GZIP)
    assert api.headers["Content-Encoding"] == "gzip"
    assert api.headers["Vary"] == "Accept-Encoding"
    home = gzip.decompress(client.get("/", headers=GZIP).data).decode()
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', home)
    assert css is not None
    static = client.get(css.group(1), headers=GZIP)
    assert static.headers["Vary"] == "Accept-Encoding"
    static.close()


def test_online_today_is_each_meetings_own_today(
    client: FlaskClient, make_meeting: Callable[..., Meeting], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Monday 20:00 in New York, 17:00 in Los Angeles, already Tuesday 01:00 in UTC.
    now = dt.datetime(2025, 11, 25, 1, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(finder.search, "now_utc", lambda: now)
    ny = {"latitude": 40.75, "longitude": -73.99, **ONLINE}
    la = {"latitude": 34.05, "longitude": -118.24, "city": "Los Angeles", **ONLINE}
    make_meeting(name="NY Monday Night", day=1, time=dt.time(21, 0), end_time=None, **ny)
    make_meeting(name="NY Monday Morning", day=1, time=dt.time(7, 0), end_time=None, **ny)
    make_meeting(name="NY Tuesday Dawn", day=2, time=dt.time(6, 30), end_time=None, **ny)
    make_meeting(name="LA Monday Evening", day=1, time=dt.time(19, 0), end_time=None, **la)
    html = client.get("/meetings?attendance=online&day=today").get_data(as_text=True)
    assert "NY Monday Night" in html and "LA Monday Evening" in html
    assert "NY Monday Morning" not in html  # over for today
    assert "NY Tuesday Dawn" not in html  # tomorrow in New York, though today in UTC
    tomorrow = client.get("/meetings?attendance=online&day=tomorrow").get_data(as_text=True)
    assert "NY Tuesday Dawn" in tomorrow and "NY Monday Night" not in tomorrow
