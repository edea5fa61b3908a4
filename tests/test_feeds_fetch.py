"""Fetching feeds over https (through a fake opener: no network), refresh-feeds, progress bars."""

from __future__ import annotations

import gzip
import io
import json
import sys
from email.message import Message
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import pytest
from sqlalchemy import func, select

from finder.feeds.cli import terminal_progress
from finder.feeds.fetch import FetchError, _HttpsOnlyRedirects
from finder.models import Meeting, Source
from tests.feeds_support import DATA

URL = "https://intergroup.example/wp-admin/admin-ajax.php?action=meetings"
OTHER_URL = "https://na.example/main_server/client_interface/json/"


class FakeResponse:
    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        self.stream = io.BytesIO(body)
        self.headers = Message()
        for key, value in headers.items():
            self.headers[key] = value

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeOpener:
    """Answers URLs from a dict: bytes, (bytes, headers), or an exception to raise."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.requests: list[tuple[Request, float]] = []

    def __call__(self, request: Request, timeout: float) -> FakeResponse:
        self.requests.append((request, timeout))
        answer = self.answers[request.full_url]
        if isinstance(answer, BaseException):
            raise answer
        body, headers = answer if isinstance(answer, tuple) else (answer, {})
        return FakeResponse(body, headers)


def rows(*slugs: str, time: str = "19:00") -> bytes:
    return json.dumps([{"name": s, "slug": s, "day": 1, "time": time, "latitude": 40.7,
                        "longitude": -74.0} for s in slugs]).encode()  # fmt: skip


@pytest.fixture
def opener(app) -> FakeOpener:
    fake = FakeOpener({URL: rows("a", "b"), OTHER_URL: (DATA / "bmlt-excerpt.json").read_bytes()})
    app.extensions["finder.feed_opener"] = fake
    return fake


def test_import_from_an_https_url(runner, session, opener, app):
    result = runner.invoke(args=["import-feed", URL])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    source = session.scalar(select(Source))
    assert (source.name, source.url) == ("intergroup.example/wp-admin/admin-ajax.php", URL)
    request, timeout = opener.requests[0]
    assert timeout == 30.0
    assert request.get_header("User-agent").startswith("finder-feed-importer/")
    assert request.get_header("Accept-encoding") == "gzip"


def test_a_gzip_encoded_answer_is_decompressed(runner, session, opener):
    opener.answers[URL] = (gzip.compress(rows("z")), {"Content-Encoding": "gzip"})
    result = runner.invoke(args=["import-feed", URL])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(Meeting.slug)) == "z"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (HTTPError(URL, 404, "Not Found", Message(), None), "answered HTTP 404 Not Found"),
        (URLError("Name or service not known"), "could not reach intergroup.example"),
        (TimeoutError("timed out"), "did not answer within 30 s"),
        (b"x" * 2048, "larger than the 1 KB limit"),
        ((gzip.compress(b" " * 5000), {"Content-Encoding": "gzip"}), "larger than the"),
        ((b"not gzip", {"Content-Encoding": "gzip"}), "gzip encoding is broken"),
    ],
)
def test_fetch_failures_are_clear_and_change_nothing(app, runner, session, opener, answer,
                                                     message):  # fmt: skip
    app.config["FEED_MAX_BYTES"] = 1024
    opener.answers[URL] = answer
    result = runner.invoke(args=["import-feed", URL])
    assert result.exit_code == 1
    assert message in result.output
    assert session.scalar(select(func.count(Source.id))) == 0


def test_plain_http_is_refused_without_a_request(runner, opener):
    result = runner.invoke(args=["import-feed", "http://intergroup.example/feed.json"])
    assert result.exit_code == 1
    assert "only https URLs are fetched" in result.output
    assert opener.requests == []


def test_redirects_away_from_https_are_refused():
    request = Request(URL)
    with pytest.raises(FetchError, match="refused a redirect"):
        _HttpsOnlyRedirects().redirect_request(request, io.BytesIO(), 302, "Found", Message(),
                                               "http://intergroup.example/feed.json")  # fmt: skip


def test_refresh_feeds_reimports_every_https_source(runner, session, opener):
    assert runner.invoke(args=["import-feed", URL, "--name", "Intergroup"]).exit_code == 0
    assert runner.invoke(args=["import-feed", OTHER_URL, "--name", "NA region"]).exit_code == 0
    local = runner.invoke(args=["import-feed", str(DATA / "sepia-excerpt.json")])
    assert local.exit_code == 0
    opener.answers[URL] = rows("a", time="20:00")
    result = runner.invoke(args=["refresh-feeds"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if " rows of " in line]
    assert len(lines) == 2  # the file source is not refreshed
    assert lines[0].startswith("Intergroup: 1 rows")
    assert lines[0].endswith("0 added, 1 updated, 0 unchanged, 1 unpublished, 0 rejected")
    assert lines[1].startswith("NA region: 6 rows")
    assert lines[1].endswith("0 added, 0 updated, 6 unchanged, 0 unpublished, 0 rejected")


def test_refresh_goes_on_after_a_failing_feed_and_exits_non_zero(runner, session, opener):
    assert runner.invoke(args=["import-feed", URL, "--name", "Intergroup"]).exit_code == 0
    assert runner.invoke(args=["import-feed", OTHER_URL, "--name", "NA region"]).exit_code == 0
    opener.answers[URL] = HTTPError(URL, 503, "Service Unavailable", Message(), None)
    result = runner.invoke(args=["refresh-feeds"])
    assert result.exit_code == 1
    assert "Intergroup: failed, nothing changed:" in result.output
    assert "NA region: 6 rows" in result.output
    assert "1 of 2 feeds failed" in result.output
    assert session.scalar(select(func.count(Meeting.id)).where(Meeting.published)) == 8


def test_refresh_with_no_url_sources_says_so(runner):
    result = runner.invoke(args=["refresh-feeds"])
    assert result.exit_code == 0
    assert "nothing to refresh" in result.output


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    with terminal_progress("Importing", 10) as advance:
        assert advance is not None
        advance(10)
    assert "Importing" in terminal.getvalue()
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    with terminal_progress("Importing", 10) as advance:
        assert advance is None


def test_no_progress_bar_in_cron_output(runner, opener):
    result = runner.invoke(args=["import-feed", URL])
    assert "Importing" not in result.output and "[" not in result.output


def test_a_server_dripping_bytes_still_meets_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    from finder.feeds import fetch as fetch_module

    clock = iter(range(1000))
    monkeypatch.setattr(fetch_module.time, "monotonic", lambda: float(next(clock)))

    class Drip:
        def read1(self, _size: int) -> bytes:
            return b"x"  # one byte per read, forever

    with pytest.raises(fetch_module.FetchError, match="took longer than 30 s"):
        fetch_module._read_limited(Drip(), 10_000_000, deadline=30.0, timeout=30.0)  # type: ignore[arg-type]
