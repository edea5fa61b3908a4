"""Rate-limited answers say how long to wait, in words and in Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from finder.errors import MESSAGES


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"RATELIMIT_ENABLED": True}


def test_api_rate_limit_answers_json_with_retry_after(client: FlaskClient) -> None:
    url = "/api/v1/meetings?lat=40.7484&lng=-73.9967"
    for _ in range(120):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert response.get_json() == {"error": MESSAGES[429]}
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_api_place_not_found_speaks_to_programs(client: FlaskClient) -> None:
    response = client.get("/api/v1/meetings?near=qwertyuiop")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "qwertyuiop" in error and "lat and lng" in error
    assert "Use my location" not in error
