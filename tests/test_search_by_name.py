"""Search by name: `name=` on the results page and the API, case and accents ignored,
matching a meeting's or its group's name, with place and filters, on every search path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import finder.search
from finder.models import Group, Meeting
from finder.spatial.holder import holder_for

NOW = dt.datetime(2025, 3, 5, 15, 0, tzinfo=dt.UTC)  # a Wednesday morning in New York
POINT = "lat=40.748&lng=-73.997"
MakeMeeting = Callable[..., Meeting]


@pytest.fixture(params=["sync", "off"])
def app_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Both search paths: the in-memory index, and SQL."""
    return {"SEARCH_INDEX": request.param}


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(finder.search, "now_utc", lambda: NOW)
    monkeypatch.setattr("finder.api.now_utc", lambda: NOW)


@pytest.fixture
def named(make_meeting: MakeMeeting) -> None:
    make_meeting(name="Sesión de Esperanza", slug="esperanza", day=3, time=dt.time(19))
    make_meeting(name="Tuesday Step Study", slug="tuesday", group="Grupo Serenidad", day=2)
    make_meeting(name="SERENITY NOW", slug="serenity", fellowship="na", day=3, time=dt.time(20))
    make_meeting(name="Daily Reflections", slug="big-book")
    make_meeting(name="Serenity far away", slug="far", latitude=34.05, longitude=-118.24,
                 timezone="America/Los_Angeles")  # fmt: skip


def api_slugs(client: FlaskClient, query: str) -> set[str]:
    response = client.get(f"/api/v1/meetings?{POINT}&radius_km=20&{query}")
    assert response.status_code == 200, response.get_json()
    return {m["slug"] for m in response.get_json()["meetings"]}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("esperanza", {"esperanza"}),
        ("SESION", {"esperanza"}),  # accents and case ignored
        ("sesión  ESPERANZA", {"esperanza"}),  # every word, in any order
        ("seren", {"tuesday", "serenity"}),  # the group's name counts too
        ("serenidad", {"tuesday"}),
        ("step serenidad", {"tuesday"}),  # one word from each name
        ("nothing like it", set()),
        ("", {"esperanza", "tuesday", "serenity", "big-book"}),
    ],
)
def test_api_name(client: FlaskClient, named: None, name: str, expected: set[str]) -> None:
    assert api_slugs(client, f"name={name}") == expected


def test_api_name_with_place_and_filters(client: FlaskClient, named: None) -> None:
    assert api_slugs(client, "name=seren&fellowship=na") == {"serenity"}
    assert api_slugs(client, "name=seren&day=2") == {"tuesday"}


def test_api_refuses_a_name_too_long(client: FlaskClient) -> None:
    response = client.get(f"/api/v1/meetings?{POINT}&name={'x' * 101}")
    assert response.status_code == 400
    assert "name must be at most 100 characters" in response.get_json()["error"]


def test_results_page_by_name(client: FlaskClient, named: None) -> None:
    response = client.get(f"/meetings?{POINT}&radius=10&name=Sesion")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sesión de Esperanza" in html
    assert "Daily Reflections" not in html and "SERENITY NOW" not in html
    assert 'name="name" type="text" value="Sesion"' in html  # kept in the form
    assert "name=Sesion" in html  # and in the sort and page links


def test_results_page_too_long_name(client: FlaskClient) -> None:
    response = client.get(f"/meetings?near=10001&name={'x' * 101}")
    assert response.status_code == 400
    assert "can be at most 100 characters" in response.get_data(as_text=True)


def test_online_anywhere_by_name(client: FlaskClient, make_meeting: MakeMeeting) -> None:
    online = {"conference_url": "https://zoom.us/j/1", "approximate": True}
    make_meeting(name="Café Online", slug="cafe", **online)
    make_meeting(name="Other Online", slug="other", group="El Café", **online)
    make_meeting(name="Nightly Online", slug="nightly", **online)
    html = client.get("/meetings?attendance=online&name=CAFE").get_data(as_text=True)
    assert "Café Online" in html and "Other Online" in html
    assert "Nightly Online" not in html


def test_home_form_has_a_labelled_name_field(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<label for="name">Meeting or group name' in html
    assert 'id="name" name="name"' in html


def test_renamed_group_is_found_by_its_new_name(
    app: Flask, client: FlaskClient, session: Session, named: None
) -> None:
    assert api_slugs(client, "name=amistad") == set()  # the index (if on) is built now
    group = session.scalars(select(Group).where(Group.name == "Grupo Serenidad")).one()
    group.name = "Grupo Amistad"
    session.commit()
    assert api_slugs(client, "name=amistad") == {"tuesday"}
    assert api_slugs(client, "name=serenidad") == set()
    if app.config["SEARCH_INDEX"] == "sync":
        snap = holder_for(app.extensions["finder.engine"]).snapshot
        assert snap is not None and snap.size == 5
