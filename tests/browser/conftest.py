"""Playwright with Debian's chromium at phone size, against the app served from a thread.

`make test` installs chromium; set FINDER_SKIP_BROWSER=1 to skip these tests on a
machine without it (CI never sets it).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
PHONE = {"width": 390, "height": 844}
NEW_YORK = {"latitude": 40.7484, "longitude": -73.9967}


HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Hooks see the whole session's items: mark only the tests in this folder.
    for item in items:
        if not str(item.path).startswith(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if os.environ.get("FINDER_SKIP_BROWSER") == "1":
            item.add_marker(pytest.mark.skip(reason="FINDER_SKIP_BROWSER=1"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: run `make test` (it installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], playwright: Any) -> dict[str, Any]:
    phone = dict(playwright.devices["iPhone 13"])
    phone.pop("default_browser_type", None)
    return {
        **browser_context_args,
        **phone,
        "viewport": PHONE,
        "permissions": ["geolocation"],
        "geolocation": NEW_YORK,
        "locale": "en-US",
        "timezone_id": "America/New_York",
    }


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
