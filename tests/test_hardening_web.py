"""Hardening of the web layer (issue 13): Host handling, log lines, engines."""

from __future__ import annotations

import datetime as dt
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from finder.config import from_environ
from tests.accounts_support import text

ROOT = Path(__file__).resolve().parent.parent


class TestPublicBaseUrl:
    @pytest.fixture
    def app_config(self):
        return {"SERVER_NAME_FOR_LINKS": "https://meetings.example.org"}

    def test_the_feed_link_never_echoes_the_host_header(self, client):
        page = text(client.get("/", headers={"Host": "evil.example"}))
        assert 'href="https://meetings.example.org/api/v1/feed.json"' in page
        assert "evil.example" not in page


def test_without_public_base_url_the_feed_link_follows_the_host(client):
    assert 'href="http://localhost/api/v1/feed.json"' in text(client.get("/"))


class TestTrustedHosts:
    @pytest.fixture
    def app_config(self):
        return {"TRUSTED_HOSTS": ["meetings.example.org"]}

    def test_other_hosts_answer_400(self, client):
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"Host": "meetings.example.org"}).status_code == 200


def test_trusted_hosts_and_fallback_are_read_from_the_environment():
    config = from_environ({"FINDER_ENV": "testing", "TRUSTED_HOSTS": " a.example, .b.example "})
    assert config["TRUSTED_HOSTS"] == ["a.example", ".b.example"]
    assert from_environ({"FINDER_ENV": "testing"})["TRUSTED_HOSTS"] is None
    assert config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_every_engine_hides_sql_parameters(app):
    assert app.extensions["finder.engine"].hide_parameters is True
    assert "hide_parameters=True" in (ROOT / "migrations" / "env.py").read_text()


def test_the_apps_error_line_escapes_a_forged_newline(app, caplog):
    def boom() -> None:
        raise RuntimeError("boom")

    app.before_request(boom)
    caplog.set_level(logging.ERROR)
    r = app.test_client().get("/boom/a%0a127.0.0.1 GET /admin 200%1b[2J")
    assert r.status_code == 500
    line = next(r.getMessage() for r in caplog.records if "unhandled" in r.getMessage())
    assert "\n" not in line and "\x1b" not in line
    assert "a\\x0a127.0.0.1" in line


def test_gunicorns_access_line_escapes_decoded_newlines_and_nuls():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", settings["access_log_format"])
    logger = settings["EscapingLogger"](cfg)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/a%0aforged", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/a\nGET /forged 200\x00", "QUERY_STRING": ""}  # fmt: skip
    resp = SimpleNamespace(status="404 NOT FOUND", headers=[], sent=10)
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, dt.timedelta(seconds=0))
    line = settings["access_log_format"] % atoms
    assert "\n" not in line and "\x00" not in line
    assert "/a\\nGET /forged 200\\x00" in line
    assert settings["logger_class"] is settings["EscapingLogger"]
