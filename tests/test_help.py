"""Need help now?: /help, one tap from every page, and still there when the database is not."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from finder.models import Meeting
from tests.accounts_support import register

HELP_LINK = re.compile(r'<a class="help-link" href="/help"[^>]*>Need help now\?</a>')


def test_help_page_has_every_line_one_tap_away(client: FlaskClient) -> None:
    r = client.get("/help")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for href in ('href="tel:988"', 'href="sms:988"', 'href="tel:+18006624357"', 'href="tel:911"'):
        assert href in html
    assert 'href="https://findtreatment.gov/"' in html
    assert "medication for opioid use disorder" in html
    assert "in English and Spanish (en español)" in html
    assert "free" in html.lower() and "confidential" in html and "24 hours a day" in html


def test_help_page_says_what_to_do_in_an_overdose(client: FlaskClient) -> None:
    html = client.get("/help").get_data(as_text=True)
    overdose = html[html.index('id="overdose"') :]
    for words in (
        "Call 911.",
        "Give naloxone (Narcan)",
        "rescue breaths",
        "Stay with them.",
        "sold without a prescription",
        "health departments and community programs",
    ):
        assert words in overdose
    assert "Withdrawal is best done with medical help" in html
    assert "peer support groups carry recovery on" in html
    assert re.search(r'<a class="[^"]+" href="/">Find a meeting near you</a>', html)


def test_phone_numbers_never_break(client: FlaskClient) -> None:
    html = client.get("/help").get_data(as_text=True)
    for number in ("911", "988", "1-800-662-4357", "1-800-487-4889"):
        assert re.search(rf'class="nowrap"[^>]*>{re.escape(number)}<', html), number
    home = client.get("/").get_data(as_text=True)
    assert '<a class="nowrap" href="tel:+18006624357">1-800-662-4357</a>' in home
    css = client.get("/static/app.css").get_data(as_text=True)
    assert ".nowrap { white-space: nowrap; }" in css


def test_help_page_loads_nothing_from_other_sites(client: FlaskClient) -> None:
    html = client.get("/help").get_data(as_text=True)
    assert not re.search(r'\ssrc="(https?:)?//', html)
    loaded = re.findall(r'<link rel="(?:stylesheet|icon|manifest|apple-touch-icon)"[^>]*>', html)
    assert loaded and all('href="/' in tag and 'href="//' not in tag for tag in loaded)


@pytest.fixture
def pages(make_meeting: Callable[..., Meeting]) -> list[str]:
    make_meeting(slug="early-birds", name="Early Birds")
    return [
        "/",
        "/meetings?near=10001",
        "/meetings?attendance=online",
        "/meetings/early-birds",
        "/login",
        "/register",
        "/me/favorites",
        "/offline",
        "/no-such-page",
    ]


def test_every_page_links_to_help(client: FlaskClient, pages: list[str]) -> None:
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert HELP_LINK.search(html), path


def test_help_opens_while_the_database_is_down(app: Flask, client: FlaskClient) -> None:
    assert register(client).status_code == 302  # logged in: the header would load the user

    def broken() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.extensions["finder.sessionmaker"] = broken
    r = client.get("/help")
    assert r.status_code == 200
    assert "tel:988" in r.get_data(as_text=True)
    assert client.get("/offline").status_code == 200
