"""The feed at scale: built from one streamed Core query, cached per data version and not per
Host, filtered to a site's part (fellowship, area), streamed without gzip, rate limited."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.feeds import export
from finder.feeds.feed_cache import rebased, url_marker
from finder.feeds.feed_stream import Scope, feed_chunks
from finder.geocoding import Place
from finder.models import Meeting

FEED = "/api/v1/feed.json"
NEW_YORK = {"latitude": 40.7484, "longitude": -73.9967}
BOSTON = {"latitude": 42.3601, "longitude": -71.0589, "timezone": "America/New_York"}


@pytest.fixture
def listed(make_meeting: Any) -> None:
    make_meeting(slug="ny-aa", name="Café Group", group="Grupo Ñ", **NEW_YORK)
    make_meeting(slug="ny-na", fellowship="na", conference_url="https://zoom.us/j/1", **NEW_YORK)
    make_meeting(slug="boston-aa", day=None, time=None, end_time=None, **BOSTON)


def slugs(client: FlaskClient, query: str = "", **kwargs: Any) -> list[str]:
    response = client.get(f"{FEED}?{query}", **kwargs)
    assert response.status_code == 200, response.data[:300]
    return [row["slug"] for row in json.loads(response.data)]


def cache(app: Flask) -> Any:
    return app.extensions["finder.feed_cache"]


def test_streamed_rows_equal_the_orm_rows(app: Flask, session: Session, listed: None) -> None:
    """The stand-ins answer meeting_row exactly as ORM meetings do, field for field."""
    link_for = export.links("https://x.example/meetings/", "")
    with app.app_context():
        streamed = json.loads(b"".join(feed_chunks(session, link_for, Scope())))
    orm = [export.meeting_row(m, link_for) for m in export.published_meetings(session)]
    assert streamed == orm
    assert [row["slug"] for row in streamed] == ["boston-aa", "ny-aa", "ny-na"]
    assert streamed[1]["group"] == "Grupo Ñ"


def test_feed_of_one_fellowship(client: FlaskClient, listed: None) -> None:
    assert slugs(client, "fellowship=na") == ["ny-na"]
    assert slugs(client, "fellowship=AA&fellowship=na") == ["boston-aa", "ny-aa", "ny-na"]


def test_feed_of_an_area(client: FlaskClient, listed: None) -> None:
    assert slugs(client, "lat=40.75&lng=-74.0&radius_km=10") == ["ny-aa", "ny-na"]
    assert slugs(client, "lat=42.36&lng=-71.06&radius_km=5") == ["boston-aa"]
    assert slugs(client, "lat=42.36&lng=-71.06&radius_km=400") == ["boston-aa", "ny-aa", "ny-na"]
    assert slugs(client, "lat=40.75&lng=-74.0&radius_km=10&fellowship=aa") == ["ny-aa"]


def test_feed_near_a_place(client: FlaskClient, fake_geocoder: Any, listed: None) -> None:
    fake_geocoder.places["12 harbor st, boston"] = Place(42.36, -71.06, "12 Harbor St, Boston")
    assert slugs(client, "near=12 Harbor St, Boston&radius_km=20") == ["boston-aa"]
    assert client.get(f"{FEED}?near=nowhere at all").status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("fellowship=nope", "fellowship must be one of"),
        ("lat=91&lng=0", "lat must be between -90 and 90"),
        ("lat=40", "lat needs lng too"),
        ("lat=40&lng=-74&radius_km=0", "radius_km must be a number more than 0"),
        ("lat=40&lng=-74&radius_km=nan", "radius_km must be a number more than 0"),
        ("lat=40&lng=-74&radius_km=5000", "at most 2000"),
        ("radius_km=5", "radius_km needs near, or lat and lng"),
        ("near=x&lat=1&lng=2", "either near or lat and lng"),
    ],
)
def test_bad_feed_parameters_answer_400(client: FlaskClient, query: str, message: str) -> None:
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_another_host_never_rebuilds(app: Flask, client: FlaskClient, listed: None) -> None:
    first = client.get(FEED)
    assert json.loads(first.data)[0]["url"] == "http://localhost/meetings/boston-aa"
    for host in ("https://one.example.net", "http://two.example.org:8080", "http://x.test"):
        other = json.loads(client.get(FEED, base_url=host).data)
        assert [row["url"] for row in other] == [
            f"{host}/meetings/{slug}" for slug in ("boston-aa", "ny-aa", "ny-na")
        ]
        zipped = client.get(FEED, base_url=host, headers={"Accept-Encoding": "gzip"})
        assert json.loads(gzip.decompress(zipped.data)) == other
    assert cache(app).builds == 1  # from the database: once
    assert cache(app).derived == 3  # the other hosts: from the cached copy
    assert client.get(FEED).data == first.data


def test_a_meeting_write_rebuilds(app: Flask, client: FlaskClient, session: Session, listed: None):
    client.get(FEED)
    meeting = session.scalars(select(Meeting).where(Meeting.slug == "ny-na")).one()
    meeting.name = "Renamed"
    session.commit()
    names = {row["slug"]: row["name"] for row in json.loads(client.get(FEED).data)}
    assert names["ny-na"] == "Renamed"
    assert cache(app).builds == 2


def test_public_base_url_ignores_the_host(app: Flask, client: FlaskClient, listed: None) -> None:
    app.config["SERVER_NAME_FOR_LINKS"] = "https://meetings.example.org"
    client.get(FEED, base_url="http://a.test")
    rows = json.loads(client.get(FEED, base_url="http://b.test").data)
    assert rows[0]["url"] == "https://meetings.example.org/meetings/boston-aa"
    assert (cache(app).builds, cache(app).derived) == (1, 0)


def test_plain_answers_are_streamed(client: FlaskClient, listed: None) -> None:
    response = client.get(FEED)
    assert response.is_streamed
    assert int(response.headers["Content-Length"]) == len(response.data)


def test_rebased_urls_across_any_split() -> None:
    text = b'[{"url":"http://a/meetings/x","n":"\\"url\\":"},{"url":"http://a/meetings/y"}]'
    for new in ("https://b.example", "http://a:8080"):  # the second extends the old base
        want = text.replace(url_marker("http://a"), url_marker(new))
        for cut in range(1, len(text)):
            got = b"".join(rebased([text[:cut], text[cut:]], "http://a", new))
            assert got == want, cut


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_feed_is_rate_limited(client: FlaskClient, app_config: dict[str, Any]) -> None:
    for _ in range(30):
        assert client.get(FEED).status_code == 200
    response = client.get(FEED)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
