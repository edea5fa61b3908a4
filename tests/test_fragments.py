"""Per-meeting pieces kept between requests (API JSON, result cards): the same bytes as made
afresh, dropped when the meeting, its place or its group changes, kept apart per language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, get_template_attribute
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import finder.api
import finder.nearby
import finder.search
from finder.models import Location, Meeting
from finder.search import card_cache
from finder.search.present import Card, When

NOW = dt.datetime(2025, 3, 5, 15, 0, tzinfo=dt.UTC)  # Wednesday 10:00 in New York
PAGE = "/meetings?lat=40.748&lng=-73.997&radius=10"
API = "/api/v1/meetings?lat=40.748&lng=-73.997&radius_km=20"
MakeMeeting = Callable[..., Meeting]


@pytest.fixture(params=["sync", "off"])
def app_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    # Whole answers kept for their minute (tests/test_kept_answers.py) would answer the
    # repeated requests here before the pieces are asked for: these tests are about pieces.
    return {"SEARCH_INDEX": request.param, "KEPT_ANSWERS_MB": 0}


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(finder.search, "now_utc", lambda: NOW)
    monkeypatch.setattr("finder.api.now_utc", lambda: NOW)


@pytest.fixture
def listed(make_meeting: MakeMeeting) -> None:
    make_meeting(slug="soon", name="Soon & Close", day=3, time=dt.time(10, 30), group="G1")
    make_meeting(slug="live", name="Live <now>", day=3, time=dt.time(9, 30),
                 end_time=dt.time(11, 0), latitude=40.76)  # fmt: skip
    make_meeting(
        slug="later", name="Later", day=5, time=dt.time(19), conference_url="https://z.us/j"
    )


def counted_reads(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[list[int]]:
    """The meeting ids each call of module.meetings_by_id reads, from now on."""
    reads: list[list[int]] = []
    real = module.meetings_by_id

    def counting(session: Session, ids: list[int], shared: Any = None) -> Any:
        reads.append(list(ids))
        return real(session, ids, shared)

    monkeypatch.setattr(module, "meetings_by_id", counting)
    return reads


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="/meetings/[^"]+">([^<]+)</a>', html)


def test_kept_cards_equal_cards_made_afresh(app: Flask, client: FlaskClient, listed: None):
    # CSRF tokens carry a timestamp, so two pages a second apart differ only there.
    def page() -> str:
        html = client.get(PAGE).get_data(as_text=True)
        return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)

    first = page()
    again = page()  # from the kept pieces
    assert first == again
    assert "Soon &amp; Close" in again and "Live &lt;now&gt;" in again
    shapes = [
        When("Today", "10:30 am", "11:30 am", "EST", "starts in 30 min", False),
        When("Today", "9:30 am", "11:00 am", "EST", "in progress <b>", True),
        When("Friday", "7:00 pm", "8:00 pm", "EST", "", False),
    ]
    # The star's way back carries the page's query (escaped), in each language.
    for page_url in ("/meetings", '/meetings?near=a"b<c&day=1', "/meetings?lang=es&day=2"):
        with app.test_request_context(page_url):
            assert_cards_as_fresh(shapes)


def assert_cards_as_fresh(shapes: list[When]) -> None:
    """Each kept card, star included, reads as the macro renders it in this request."""
    from finder.db import get_session

    meeting = get_session().scalars(select(Meeting)).first()
    macro = get_template_attribute("_macros.html", "meeting_card")
    for when in [*shapes, None]:
        for distance in (0.05, 3.2, None):
            for show_tz, miles in ((False, True), (True, False)):
                card = Card(meeting, when, distance, "in_person")
                fresh = str(macro(card, show_tz=show_tz, miles=miles))
                assert "#save-" in fresh  # the star is part of what is compared
                for _ in range(2):  # made, then kept
                    kept = card_cache.cached_card(card, show_tz=show_tz, miles=miles)
                    assert str(kept) == fresh


def test_a_meeting_write_drops_its_kept_card(client: FlaskClient, session: Session, listed: None):
    assert "Later" in titles(client.get(PAGE).get_data(as_text=True))
    meeting = session.scalars(select(Meeting).where(Meeting.slug == "later")).one()
    meeting.name = "Renamed Later"
    session.commit()
    html = client.get(PAGE).get_data(as_text=True)
    assert "Renamed Later" in titles(html) and "Later" not in titles(html)


def test_a_location_write_drops_the_cards_there(
    client: FlaskClient, session: Session, listed: None
) -> None:
    assert "1 Elm Street" not in client.get(PAGE).get_data(as_text=True)
    meeting = session.scalars(select(Meeting).where(Meeting.slug == "soon")).one()
    location = session.get(Location, meeting.location_id)
    assert location is not None
    location.address, location.formatted_address = "1 Elm Street", ""
    session.commit()
    assert "1 Elm Street" in client.get(PAGE).get_data(as_text=True)


def test_api_pieces_are_kept_and_dropped_on_write(
    client: FlaskClient, session: Session, listed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.get(API).get_json()
    reads = counted_reads(monkeypatch, finder.api)
    assert client.get(API).get_json() == first
    assert reads == [[]]  # every meeting's static part was kept
    meeting = session.scalars(select(Meeting).where(Meeting.slug == "soon")).one()
    meeting.name = "Renamed Soon"
    session.commit()
    names = {m["slug"]: m["name"] for m in client.get(API).get_json()["meetings"]}
    assert names["soon"] == "Renamed Soon"
    assert reads[-1] == [meeting.id]  # only the changed meeting read again


def test_cards_are_kept_per_language(app: Flask, client: FlaskClient, listed: None) -> None:
    client.get(PAGE)
    assert '<html lang="es">' in client.get(PAGE, headers={"Accept-Language": "es"}).text
    from finder.fragments import _caches

    cache = _caches[app.extensions["finder.engine"]]
    languages = {
        key[1] for pieces in cache.by_meeting.values() for key in pieces if key[0] == "card"
    }
    assert languages == {"en", "es"}


def test_the_visitors_own_stars_on_kept_cards(client: FlaskClient, listed: None) -> None:
    before = client.get(PAGE).get_data(as_text=True)
    assert before.count('aria-pressed="false"') == 3
    saved = client.post("/meetings/later/favorite", data={"action": "add", "next": PAGE})
    assert saved.status_code in (302, 303)
    html = client.get(PAGE).get_data(as_text=True)
    assert html.count('aria-pressed="true"') == 1
    assert 'aria-label="Saved: remove Later from my meetings"' in html
    assert 'aria-label="Save Soon &amp; Close to my meetings"' in html
    assert 'action="/meetings/soon/favorite" data-favorite-form data-slug="soon"' in html


def test_page_meetings_are_read_once_until_written(
    client: FlaskClient, session: Session, listed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.get(PAGE).get_data(as_text=True)
    reads = counted_reads(monkeypatch, finder.nearby)
    assert titles(client.get(PAGE).get_data(as_text=True)) == titles(first)
    assert reads == [[]]  # every meeting on the page was kept
    meeting = session.scalars(select(Meeting).where(Meeting.slug == "soon")).one()
    meeting.name = "Renamed Soon"
    session.commit()
    assert "Renamed Soon" in titles(client.get(PAGE).get_data(as_text=True))
    assert reads[-1] == [meeting.id]  # only the changed meeting read again


def test_braces_in_names_survive_the_kept_templates(
    client: FlaskClient, make_meeting: MakeMeeting
) -> None:
    make_meeting(slug="braces", name="Step {1} & {name}", day=3, time=dt.time(10, 30))
    for _ in range(2):  # made, then kept
        html = client.get(PAGE).get_data(as_text=True)
        assert titles(html) == ["Step {1} &amp; {name}"]
        assert 'aria-label="Save Step {1} &amp; {name} to my meetings"' in html


def panel(html: str) -> str:
    return html[html.index('<details class="filters"') : html.index("</form>")]


def test_the_kept_filter_panel_follows_filters_and_language(
    app: Flask, client: FlaskClient, listed: None
) -> None:
    plain = panel(client.get(PAGE).get_data(as_text=True))
    assert "checked" not in plain and "Morning" in plain
    evening = panel(client.get(PAGE + "&time=evening&type=W").get_data(as_text=True))
    assert 'name="time" value="evening" checked' in evening
    assert 'name="type" value="W" checked' in evening and "(2 on)" in evening
    spanish = panel(client.get(PAGE, headers={"Accept-Language": "es"}).get_data(as_text=True))
    assert "Mañana" in spanish and "Morning" not in spanish
    assert panel(client.get(PAGE).get_data(as_text=True)) == plain  # kept, still English
    # The kept panel is the macro's own rendering.
    from finder.search.filters_panel import form_options, kept_filters_panel
    from finder.search.params import parse_query

    with app.test_request_context(PAGE + "&day=today&attendance=online&radius=25"):
        from flask import request

        query = parse_query(request.args)
        macro = get_template_attribute("_macros.html", "filters_panel")
        for opened in (False, True):
            fresh = str(macro(query, form_options(query), "mi", opened))
            assert str(kept_filters_panel(query, "mi", opened)) == fresh
            assert str(kept_filters_panel(query, "mi", opened)) == fresh


def test_kept_cards_and_stars_follow_the_application_root(
    client: FlaskClient, listed: None
) -> None:
    plain = client.get(PAGE).get_data(as_text=True)
    assert 'action="/meetings/soon/favorite"' in plain
    mounted = client.get(PAGE, base_url="http://localhost/finder/").get_data(as_text=True)
    assert 'action="/finder/meetings/soon/favorite"' in mounted
    assert '<a href="/finder/meetings/soon">' in mounted  # the kept card's own link too
