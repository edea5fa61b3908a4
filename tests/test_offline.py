"""Installable and offline: the manifest, its icons, the service worker and the offline page."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.accounts_support import PASSWORD, login, register

STATIC = Path(__file__).resolve().parent.parent / "static"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_page_links_the_manifest(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#0b57d0">' in html


def test_manifest_makes_the_site_installable(client: FlaskClient) -> None:
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200
    assert r.mimetype == "application/manifest+json"
    manifest = r.get_json(force=True)
    assert manifest["name"] and manifest["short_name"] == "finder"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        data = client.get(icon["src"]).data
        width, height = png_size(data)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any")} <= sizes


def test_manifest_in_spanish(client: FlaskClient) -> None:
    manifest = client.get("/manifest.webmanifest?lang=es").get_json(force=True)
    assert manifest["lang"] == "es"
    assert manifest["name"] == "finder: reuniones de recuperación"


def test_service_worker_is_served_from_the_root_and_always_rechecked(client: FlaskClient) -> None:
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r.mimetype == "text/javascript"
    assert "no-cache" in r.headers["Cache-Control"]
    assert r.headers["Service-Worker-Allowed"] == "/"
    source = r.get_data(as_text=True)
    assert "__VERSION__" not in source
    assert re.search(r'var VERSION = "[0-9a-f]{12}";', source)
    # It keeps help, favorites and meeting pages; it asks no other site for anything.
    assert '"/help"' in source and '"/me/favorites"' in source and "meetings" in source
    assert not re.search(r"https?://", source)


def test_a_changed_shell_installs_a_new_worker(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    for name in ("sw.js", "app.js", "app.css"):
        shutil.copy(STATIC / name, tmp_path / name)
    app.static_folder = str(tmp_path)
    before = client.get("/sw.js").get_data(as_text=True)
    with (tmp_path / "app.css").open("a") as css:
        css.write("\n/* changed */\n")
    assert client.get("/sw.js").get_data(as_text=True) != before


def test_offline_page_says_search_needs_the_network(client: FlaskClient) -> None:
    r = client.get("/offline")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Searching for meetings needs an internet connection" in html
    assert 'href="/help"' in html and 'href="/me/favorites"' in html


def test_pages_carry_the_saved_copy_and_offline_messages(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'data-saved-copy="Saved copy from {time}; times may have changed."' in html
    assert "You're offline. Searching for meetings needs an internet connection." in html


def test_one_script_and_one_stylesheet(client: FlaskClient) -> None:
    html = client.get("/help").get_data(as_text=True)
    assert len(re.findall(r"<script\b", html)) == 1
    assert len(re.findall(r'<link rel="stylesheet"', html)) == 1
    assert "<script>" not in html


def signed_in_header(client: FlaskClient, path: str = "/") -> str | None:
    return client.get(path).headers.get("X-Finder-Signed-In")


def test_pages_say_whether_they_were_made_for_someone_signed_in(app: Flask) -> None:
    """The service worker forgets a signed-in person's saved pages at the first page made for
    nobody: here, the other phone's session ended by a password change on this one."""
    this_phone, other_phone = app.test_client(), app.test_client()
    assert signed_in_header(other_phone) == "0"
    register(this_phone)
    login(other_phone)
    assert signed_in_header(other_phone) == "1"
    assert signed_in_header(other_phone, "/me/favorites") == "1"
    # /help opens while the database is down, so reads no account and claims nothing: a
    # signed-in person opening it must not lose their saved pages.
    assert signed_in_header(other_phone, "/help") is None
    assert signed_in_header(other_phone, "/meetings?near=10001") == "1"

    changed = this_phone.post(
        "/me/password",
        data={
            "current_password": PASSWORD,
            "password": "a whole new phrase",
            "confirm": "a whole new phrase",
        },
    )
    assert changed.status_code == 302
    assert signed_in_header(this_phone) == "1"
    assert signed_in_header(other_phone) == "0"
    # Data, not pages: nothing to say there.
    assert other_phone.get("/api/v1/meetings?near=10001").headers.get("X-Finder-Signed-In") is None
