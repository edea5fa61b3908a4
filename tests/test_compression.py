"""Small over the wire: gzip for pages and JSON, a year's cache for hashed static files."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from finder.models import Meeting

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_pages_are_gzipped_for_clients_that_accept_it(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    for _ in range(30):
        make_meeting()
    plain = client.get("/meetings?near=10001")
    packed = client.get("/meetings?near=10001", headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.data).decode()
    assert html == plain.get_data(as_text=True)
    assert len(packed.data) * 3 < len(plain.data)


def test_api_json_is_gzipped(client: FlaskClient, make_meeting: Callable[..., Meeting]) -> None:
    for _ in range(10):
        make_meeting()
    response = client.get("/api/v1/meetings?lat=40.7484&lng=-73.9967", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert b'"meetings"' in gzip.decompress(response.data)


def test_tiny_answers_are_left_alone(client: FlaskClient) -> None:
    response = client.get("/healthz", headers=GZIP)
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["status"] == "ok"


def test_hashed_static_files_are_cached_for_a_year(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', home)
    assert css is not None
    response = client.get(css.group(1), headers=GZIP)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(response.data)
    response.close()
    unversioned = client.get("/static/app.css")
    assert "max-age=31536000" not in unversioned.headers.get("Cache-Control", "")
    unversioned.close()


def test_gzip_refused_with_q_zero_is_respected(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    for _ in range(30):
        make_meeting()
    response = client.get("/meetings?near=10001", headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in response.headers


def test_cookie_free_answers_do_not_vary_by_cookie(
    client: FlaskClient, make_meeting: Callable[..., Meeting]
) -> None:
    make_meeting()
    api = client.get("/api/v1/meetings?lat=40.7484&lng=-73.9967")
    assert "Cookie" not in api.headers.get("Vary", "")
    home = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', home)
    assert css is not None
    static = client.get(css.group(1))
    assert "Cookie" not in static.headers.get("Vary", "")
    static.close()


@pytest.mark.parametrize("name", ["app.js", "app.css"])
def test_script_and_stylesheet_are_sent_without_their_comments(client, name) -> None:
    source = (Path(__file__).resolve().parent.parent / "static" / name).read_text("utf-8")
    sent = client.get(f"/static/{name}").get_data(as_text=True)
    assert len(sent) < len(source)
    if name.endswith(".js"):
        assert not any(line.lstrip().startswith("//") for line in sent.splitlines())
        code = [line for line in source.splitlines() if not line.lstrip().startswith("//")]
        assert sent.splitlines() == code  # every line of code, in order, unchanged
    else:
        assert "/*" not in sent and "*/" not in sent
        assert sent.count("{") == source.count("{") and sent.count("}") == source.count("}")
