"""Helpers for the account tests: register, log in, dates relative to today, CSRF tokens."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from finder.accounts.sobriety import today_in

PASSWORD = "lantern river cobalt"


def register(
    client: FlaskClient, username: str = "sam", password: str = PASSWORD, timezone: str = "UTC"
) -> TestResponse:
    data = {"username": username, "password": password, "confirm": password, "timezone": timezone}
    return client.post("/register", data=data)


def login(
    client: FlaskClient,
    username: str = "sam",
    password: str = PASSWORD,
    **extra: Any,
) -> TestResponse:
    return client.post("/login", data={"username": username, "password": password, **extra})


def days_ago(days: int, zone: str = "UTC") -> str:
    return (today_in(zone) - dt.timedelta(days=days)).isoformat()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)
