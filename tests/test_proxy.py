"""Behind a load balancer: the scheme comes from X-Forwarded-Proto only when trusted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from finder import create_app
from finder.models import Meeting

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "meetings.example.org"}
QUERY = "/api/v1/meetings?lat=40.7484&lng=-73.9967&radius_km=5"


def first_url(app: Flask) -> str:
    response = app.test_client().get(QUERY, headers=FORWARDED)
    assert response.status_code == 200
    url: str = response.get_json()["meetings"][0]["url"]
    return url


@pytest.mark.parametrize(
    ("proxies", "expected"),
    # The scheme is trusted from one proxy; X-Forwarded-Host never is (a client can
    # send it through the proxy and poison cached links).
    [(0, "http://localhost/meetings/"), (1, "https://localhost/meetings/")],
)
def test_forwarded_headers_are_trusted_only_when_configured(
    app: Flask,
    make_meeting: Callable[..., Meeting],
    database_url: str,
    proxies: int,
    expected: str,
) -> None:
    meeting = make_meeting()
    config: dict[str, Any] = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "TRUSTED_PROXIES": proxies,
        "RATELIMIT_ENABLED": False,
    }
    assert first_url(create_app(config)) == expected + meeting.slug


def test_public_base_url_makes_links_whatever_the_host(
    make_meeting: Callable[..., Meeting], database_url: str
) -> None:
    meeting = make_meeting()
    config: dict[str, Any] = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SERVER_NAME_FOR_LINKS": "https://meetings.example.org",
        "RATELIMIT_ENABLED": False,
    }
    url = first_url(create_app(config))
    assert url == "https://meetings.example.org/meetings/" + meeting.slug


def test_hsts_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
