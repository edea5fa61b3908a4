"""The feed at scale: built from one streamed Core query, cached per data version and not per
Host, filtered to a site's part (fellowship, area), streamed without gzip, rate limited."""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.feeds import export, feed_stream
from finder.feeds.feed_cache import _packed, collection_paused, rebased, url_marker
from finder.feeds.feed_rows import FeedRows
from finder.feeds.feed_stream import Area, Scope, feed_chunks
from finder.geo import haversine_km
from finder.geocoding import Place
from finder.models import Meeting, Source
from tests.feeds_support import DATA, run_import

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


@pytest.fixture
def varied(app: Flask, session: Session, make_meeting: Any) -> None:
    """Meetings of every shape the feed writes: each field present, empty or left out."""
    run_import(app, DATA / "quirks-meeting-guide.json", name="Quirks")
    local = Source(name="finder", kind="local")
    demo = Source(name="Demo", kind="demo")
    session.add_all([local, demo])
    make_meeting(
        slug="online-only",
        conference_url="https://zoom.us/j/2",
        conference_phone="+1 5",
        conference_url_notes="pw 1",
        conference_phone_notes="Ext. 9",
        address="",
        formatted_address="",
        approximate=True,
        regions=["Orange County", "Irvine"],
    )
    hybrid = make_meeting(
        slug="hybrid",
        conference_url="https://meet.example/x",
        source=local,
        types=["O", "D", "TC"],
        group="Grupo Ñ",
    )
    make_meeting(
        slug="area-only",
        approximate=True,
        city="Springfield",
        address="",
        day=0,
        time=dt.time(0, 0),
        end_time=None,
        types=["BE", "XYZ", "ONL", "open"],
    )
    make_meeting(
        slug="rough-pin",
        rough_point=True,
        notes='Back door\n"quoted"',
        location_notes="Ring twice",
        fellowship="na",
        temporarily_closed=True,
    )
    make_meeting(
        slug="reunión ñ/1",
        name="Café Reunión ☕",
        location_name="Iglesia San José",
        city="Montréal",
        country="CA",
        latitude=45.5017,
        longitude=-73.5673,
        listing_updated_at=dt.datetime(2021, 3, 4, 5, 6, 7),
        types=[],
        source=local,
    )
    make_meeting(
        slug="no-time",
        day=None,
        time=None,
        end_time=None,
        group="Side Door",
        attendance_option="inactive",
        state="",
        postal_code="",
        regions=[],
    )
    make_meeting(
        slug="zero-point",
        latitude=0.0,
        longitude=-0.0,
        timezone="Africa/Abidjan",
        day=6,
        time=dt.time(23, 59, 30),
        end_time=dt.time(0, 30),
    )
    make_meeting(slug="long-coordinates", latitude=40.123456789012, longitude=-73.98765432109)
    make_meeting(slug="unpublished", published=False)
    make_meeting(slug="demo-listing", source=demo)  # fmt: skip
    hybrid.updated_at = dt.datetime(2026, 1, 2, 3, 4, 5)  # an organizer's last edit
    session.commit()


def reference_feed(session: Session, link_for: export.LinkFor, scope: Scope) -> bytes:
    """The feed as export.meeting_row writes it from ORM meetings, one by one."""
    rows = []
    for meeting in export.published_meetings(session):
        if scope.fellowships and meeting.fellowship.code not in scope.fellowships:
            continue
        area, place = scope.area, meeting.location
        if area is not None and (
            place.latitude is None
            or place.longitude is None
            or haversine_km(area.lat, area.lng, place.latitude, place.longitude) > area.radius_km
        ):
            continue
        rows.append(export.meeting_row(meeting, link_for))
    return orjson.dumps(rows)


@pytest.mark.parametrize(
    "scope",
    [Scope(), Scope(("na",)), Scope(("aa", "na"), Area(40.75, -74.0, 50.0))],
    ids=["every-meeting", "one-fellowship", "area"],
)
def test_streamed_feed_has_the_bytes_of_meeting_row(
    app: Flask, session: Session, varied: None, scope: Scope, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same keys, values, key order and meeting order as meeting_row, across chunk edges."""
    monkeypatch.setattr(feed_stream, "CHUNK", 3)
    link_for = export.links("https://x.example/meetings/", "?from=feed")
    with app.app_context():
        streamed = b"".join(feed_chunks(session, link_for, scope))
    assert streamed == reference_feed(session, link_for, scope)
    rows = json.loads(streamed)
    assert len(rows) >= (16 if scope == Scope() else 1)
    if scope == Scope():
        by_slug = {row["slug"]: row for row in rows}
        assert "unpublished" not in by_slug and "demo-listing" not in by_slug
        assert by_slug["reunión ñ/1"]["url"] == (
            "https://x.example/meetings/reuni%C3%B3n%20%C3%B1%2F1?from=feed"
        )
        assert by_slug["hybrid"]["updated"] == "2026-01-02 03:04:05"
        assert by_slug["hybrid"]["attendance_option"] == "online"  # TC: closed in person
        assert "latitude" not in by_slug["rough-pin"]
        assert by_slug["zero-point"]["latitude"] == 0.0


def test_feed_rows_read_json_the_driver_already_parsed() -> None:
    """psycopg hands out JSON columns as lists: unhashable, they skip the memo."""
    from sqlalchemy.dialects.postgresql import psycopg

    feed_rows = FeedRows(psycopg.dialect(), export.links("https://x.example/m/", ""))
    values: dict[str, Any] = dict.fromkeys(
        ("name", "slug", "timezone", "notes", "place", "place_notes", "formatted_address",
         "address", "city", "state", "postal_code", "country", "group", "group_notes",
         "conference_url", "conference_url_notes", "conference_phone",
         "conference_phone_notes", "attendance", "fellowship"), ""
    )  # fmt: skip
    values.update(name="A", slug="a", timezone="UTC", fellowship="aa", address="1 Main St")
    raw = (
        values["name"], values["slug"], 1, dt.time(19, 0), None, values["timezone"],
        ["O", "TC", "nope"], "", "", "", "", values["address"], "", "", "", "", 1.5, 2.5,
        False, False, ["North"], None, None, "", "", "", "", False, "", None,
        dt.datetime(2026, 1, 1), None, values["fellowship"],
    )  # fmt: skip
    assert feed_rows.rows([raw]) == [
        {"name": "A", "slug": "a", "day": 1, "time": "19:00", "timezone": "UTC",
         "types": ("O", "TC"), "address": "1 Main St", "latitude": 1.5, "longitude": 2.5,
         "approximate": "no", "regions": ("North",), "attendance_option": "inactive",
         "url": "https://x.example/m/a", "fellowship": "aa"}
    ]  # fmt: skip


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
        ("near=Springfield", "fits several places (Springfield, MA"),
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
        answer = client.get(FEED)
        assert answer.status_code == 200
        assert "Retry-After" not in answer.headers  # only a refusal says when to come back
    response = client.get(FEED)
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_packing_in_a_second_thread_keeps_order_size_and_etag() -> None:
    pieces = [f"[{i}]".encode() * (i * 997 % 5000) for i in range(60)]
    gzipped, size, etag = _packed(pieces)
    plain = b"".join(pieces)
    assert gzip.decompress(gzipped) == plain
    assert (size, etag) == (len(plain), hashlib.sha256(plain).hexdigest()[:32])


def test_a_failed_build_raises_and_leaves_garbage_collection_as_it_was() -> None:
    def failing() -> Iterator[bytes]:
        yield b"["
        raise RuntimeError("database gone")

    for enabled in (True, False):
        if not enabled:
            gc.disable()
        try:
            with pytest.raises(RuntimeError), collection_paused():
                assert not gc.isenabled()
                _packed(failing())
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
