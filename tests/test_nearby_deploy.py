"""gunicorn.conf.py: settings from the environment, and an access log that cannot leak a search."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in (
        "GUNICORN_BIND",
        "PORT",
        "WEB_CONCURRENCY",
        "GUNICORN_PRELOAD",
        "GUNICORN_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_the_access_log_has_no_query_string_referrer_or_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    atoms = set(re.findall(r"%\((\{?[^)]*)\)s", load(monkeypatch)["access_log_format"]))
    assert "U" in atoms  # the path, without its query string
    # r: request line with query, q: query, f: referrer, h: address, a: user agent, {..}: headers
    assert not atoms & {"r", "q", "f", "h", "a"}
    assert not any(atom.startswith("{") for atom in atoms)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load(
        monkeypatch, PORT="9001", WEB_CONCURRENCY="3", GUNICORN_PRELOAD="0", GUNICORN_TIMEOUT="12"
    )
    assert (conf["bind"], conf["workers"], conf["preload_app"], conf["timeout"]) == (
        "0.0.0.0:9001",
        3,
        False,
        12,
    )
    defaults = load(monkeypatch)
    assert defaults["preload_app"] is True and defaults["workers"] >= 2
