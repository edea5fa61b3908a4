"""Answers kept for the rest of their minute (finder/kept_answers.py): the same search asked
again is answered from memory, yet every visitor still sees their own page, and nobody a
page older than a write or than its minute."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import finder.search
from finder.config import ConfigError, from_environ
from finder.geocoding import Place
from finder.kept_answers import Kept, kept
from finder.models import Meeting
from tests.accounts_support import PASSWORD, csrf_token, text
from tests.conftest import FakeGeocoder

NOW = dt.datetime(2025, 3, 5, 15, 0, 10, tzinfo=dt.UTC)  # Wednesday 10:00:10 in New York
PAGE = "/meetings?lat=40.748&lng=-73.997"
API = "/api/v1/meetings?lat=40.748&lng=-73.997&radius_km=20"
MakeMeeting = Callable[..., Meeting]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True, "SEARCH_INDEX": "sync"}


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(finder.search, "now_utc", frozen)
    monkeypatch.setattr("finder.api.now_utc", frozen)
    return frozen


@pytest.fixture
def listed(make_meeting: MakeMeeting) -> None:
    make_meeting(slug="soon", name="Soon Group", day=3, time=dt.time(10, 30))
    make_meeting(slug="later", name="Later Group", day=3, time=dt.time(19))


def served(app: Flask) -> int:
    return kept(app.extensions).served


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


@pytest.mark.usefixtures("listed")
def test_a_second_visitor_gets_the_kept_page_with_their_own_token(app: Flask, clock: Clock) -> None:
    first, second = app.test_client(), app.test_client()
    page1 = text(first.get(PAGE))
    assert "Soon Group" in page1 and served(app) == 0
    page2 = text(second.get(PAGE))
    assert served(app) == 1  # not searched again
    assert without_tokens(page2) == without_tokens(page1)
    assert len(tokens(page1)) == 1 and len(tokens(page2)) == 1
    assert tokens(page1) != tokens(page2)
    # The second visitor's own token works: the Save star saves.
    token = csrf_token(page2)
    r = second.post("/meetings/soon/favorite", data={"csrf_token": token, "next": PAGE})
    assert r.status_code == 302
    # The first visitor's token is not theirs.
    r = second.post("/meetings/later/favorite", data={"csrf_token": csrf_token(page1)})
    assert r.status_code == 400


@pytest.mark.usefixtures("listed")
def test_a_write_is_seen_at_once(app: Flask, client: FlaskClient, session: Session) -> None:
    assert "Soon Group" in text(client.get(PAGE))
    assert "Soon Group" in text(app.test_client().get(PAGE)) and served(app) == 1
    meeting = session.scalars(select(Meeting).where(Meeting.slug == "soon")).one()
    meeting.name = "Renamed Group"
    session.commit()
    page = text(app.test_client().get(PAGE))
    assert "Renamed Group" in page and "Soon Group" not in page
    api = app.test_client().get(API).get_json()
    assert "Renamed Group" in [m["name"] for m in api["meetings"]]


@pytest.mark.usefixtures("listed")
def test_the_next_minute_is_searched_afresh(app: Flask, clock: Clock) -> None:
    browser = app.test_client()  # one browser throughout, its session cookie kept
    assert "in 30 min" in text(browser.get(PAGE))
    clock.now = NOW + dt.timedelta(seconds=45)  # the same minute: the kept page
    assert "in 30 min" in text(browser.get(PAGE)) and served(app) == 1
    clock.now = NOW + dt.timedelta(minutes=1)
    assert "in 29 min" in text(browser.get(PAGE)) and served(app) == 1
    assert "in 29 min" in text(browser.get(PAGE)) and served(app) == 2


@pytest.mark.usefixtures("listed", "clock")
def test_saved_meetings_in_this_browser_show_on_the_kept_page(app: Flask) -> None:
    text(app.test_client().get(PAGE))  # kept, every star "Save"
    saver = app.test_client()
    token = csrf_token(text(saver.get(PAGE)))
    saver.post("/meetings/soon/favorite", data={"csrf_token": token})
    saver.get("/me/favorites")  # the flashed "Saved ..." shown and gone
    page = text(saver.get(PAGE))
    assert 'aria-pressed="true"' in page  # their saved meeting, pressed
    assert 'aria-pressed="true"' not in text(app.test_client().get(PAGE))


@pytest.mark.usefixtures("listed", "clock")
def test_a_flashed_message_is_never_kept_nor_lost(app: Flask) -> None:
    text(app.test_client().get(PAGE))
    saver = app.test_client()
    token = csrf_token(text(saver.get(PAGE)))
    saver.post("/meetings/soon/favorite", data={"csrf_token": token, "next": PAGE})
    page = text(saver.get(PAGE))  # where the no-JavaScript star comes back to
    assert "Saved “Soon Group” to your meetings." in page
    assert "to your meetings." not in text(app.test_client().get(PAGE))


@pytest.mark.usefixtures("listed", "clock")
def test_logged_in_pages_are_neither_kept_nor_served_kept(app: Flask) -> None:
    assert "Log out" not in text(app.test_client().get(PAGE))  # kept
    member = app.test_client()
    token = csrf_token(text(member.get("/register")))
    form = {"username": "sam", "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC"}
    assert member.post("/register", data={**form, "csrf_token": token}).status_code == 302
    member.get("/me")  # the welcome message shown
    mine = text(member.get(PAGE))
    assert "Log out" in mine and served(app) == 0
    token = csrf_token(mine)
    member.post("/meetings/soon/favorite", data={"csrf_token": token})
    member.get("/me/favorites")
    assert 'aria-pressed="true"' in text(member.get(PAGE))
    anonymous = text(app.test_client().get(PAGE))
    assert "Log out" not in anonymous and 'aria-pressed="true"' not in anonymous
    assert served(app) == 1  # the anonymous page kept first, never the member's


@pytest.mark.usefixtures("listed", "clock")
def test_each_language_its_own_page(app: Flask) -> None:
    english = text(app.test_client().get(PAGE))
    spanish = text(app.test_client().get(PAGE, headers={"Accept-Language": "es"}))
    chosen = app.test_client()
    chosen.set_cookie("lang", "es")
    by_cookie = text(chosen.get(PAGE))
    assert 'lang="en"' in english
    assert 'lang="es"' in spanish and 'lang="es"' in by_cookie


@pytest.mark.usefixtures("listed", "clock")
def test_the_api_answer_is_kept_with_each_hosts_links(app: Flask) -> None:
    client = app.test_client()
    first = client.get(API)
    again = client.get(API)
    assert served(app) == 1
    assert again.get_json() == first.get_json()
    assert again.headers["Content-Type"] == "application/json"
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    other = client.get(API, base_url="http://finder.example").get_json()
    assert other["meetings"][0]["url"].startswith("http://finder.example/meetings/")
    secure = client.get(API, base_url="https://localhost").get_json()
    assert secure["meetings"][0]["url"].startswith("https://localhost/meetings/")
    assert served(app) == 1
    assert client.get(API + "&limit=1").get_json()["limit"] == 1  # another question
    assert client.get("/api/v1/meetings?lat=400&lng=0").status_code == 400


@pytest.mark.usefixtures("listed", "clock")
@pytest.mark.parametrize("app_config", [{"KEPT_ANSWERS_MB": 0}])
def test_off_when_set_to_nothing(app: Flask) -> None:
    for _ in range(3):
        assert "Soon Group" in text(app.test_client().get(PAGE))
    assert served(app) == 0


@pytest.mark.usefixtures("listed", "clock")
@pytest.mark.parametrize("app_config", [{"KEPT_ANSWERS_MB": 0.03}])  # two small pages
def test_the_oldest_answers_go_first_past_the_limit(app: Flask) -> None:
    pages = [f"{PAGE}&radius={r}" for r in (1, 5, 10)]
    for path in pages:
        app.test_client().get(path)
    store = kept(app.extensions)
    assert 0 < store.size <= 0.03 * 1024 * 1024
    app.test_client().get(pages[-1])
    assert served(app) == 1
    app.test_client().get(pages[0])  # dropped for the newer ones: searched again
    assert served(app) == 1


def test_the_setting_is_checked() -> None:
    env = {"FINDER_ENV": "development"}
    assert from_environ(env)["KEPT_ANSWERS_MB"] == 16
    assert from_environ({**env, "FINDER_KEPT_ANSWERS_MB": "0"})["KEPT_ANSWERS_MB"] == 0
    for wrong in ("-1", "lots", "nan"):
        with pytest.raises(ConfigError, match="FINDER_KEPT_ANSWERS_MB"):
            from_environ({**env, "FINDER_KEPT_ANSWERS_MB": wrong})


@pytest.mark.usefixtures("listed", "clock")
def test_each_application_root_its_own_answer(app: Flask) -> None:
    client = app.test_client()
    assert 'action="/meetings/soon/favorite"' in text(client.get(PAGE))
    mounted = text(client.get(PAGE, base_url="http://localhost/finder/"))
    assert 'action="/finder/meetings/soon/favorite"' in mounted
    api = client.get(API, base_url="http://localhost/finder/").get_json()
    assert api["meetings"][0]["url"].startswith("http://localhost/finder/meetings/")
    assert served(app) == 0


@pytest.mark.usefixtures("listed", "clock")
def test_a_place_guessed_while_the_geocoder_is_down_is_asked_again(
    app: Flask, fake_geocoder: FakeGeocoder
) -> None:
    fake_geocoder.places["350 5th ave, new york"] = Place(
        40.7484, -73.9857, "350 5th Ave, New York, NY", country="US"
    )
    path = "/meetings?near=350+5th+Ave%2C+New+York"
    fake_geocoder.down = True
    down = text(app.test_client().get(path))
    assert "350 5th Ave, New York, NY" not in down
    fake_geocoder.down = False
    assert "350 5th Ave, New York, NY" in text(app.test_client().get(path))
    assert served(app) == 0
    assert "350 5th Ave, New York, NY" in text(app.test_client().get(path))
    assert served(app) == 1


@pytest.mark.usefixtures("listed", "clock")
def test_a_page_with_an_error_is_not_kept(app: Flask) -> None:
    for _ in range(2):
        r = app.test_client().get("/meetings?near=Nowhere+Special+Zzz")
        assert "We couldn&#39;t find" in text(r)
    assert served(app) == 0


def test_a_slower_answer_from_before_a_change_is_not_kept() -> None:
    store = Kept()
    page = ("text/html", (b"new",))
    store.keep(("k",), (6, 100), page, limit=1000)
    store.keep(("k",), (5, 100), ("text/html", (b"old",)), limit=1000)  # built before the write
    assert store.find(("k",), (6, 100)) == page
    store.keep(("k",), (4, 101), ("text/html", (b"restored",)), limit=1000)  # a restored database
    assert store.find(("k",), (4, 101)) == ("text/html", (b"restored",))
    assert store.find(("k",), (6, 100)) is None
