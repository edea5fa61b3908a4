"""Hardening of feed imports (issue 13): deadlines, private addresses, odd JSON, races, caps."""

from __future__ import annotations

import io
import json
from email.message import Message
from urllib.request import Request

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from finder.db import new_session
from finder.feeds import service
from finder.feeds.clean import MAX_NOTES
from finder.feeds.fetch import FetchError, _HttpsOnlyRedirects, fetch_url
from finder.models import Meeting, Source
from tests.feed_server import (  # noqa: F401 (the fixtures)
    certificate_fixture,
    client_tls_fixture,
    drip_headers,
    feed_server_fixture,
    redirect,
    serve,
)


def feed(*slugs: str, **extra: object) -> bytes:
    return json.dumps([{"name": s, "slug": s, "day": 1, "time": "19:00", "latitude": 40.7,
                        "longitude": -74.0, **extra} for s in slugs]).encode()  # fmt: skip


@pytest.fixture
def local_feeds(app, client_tls):
    """Imports may read the test server on 127.0.0.1 and trust its certificate."""
    app.config["FEED_ALLOW_PRIVATE"] = True
    app.extensions["finder.feed_tls_context"] = client_tls


# 6. The deadline covers connecting, the status line, headers and body.


def test_a_server_dripping_its_headers_fails_at_the_deadline(feed_server, client_tls):
    feed_server.handler = drip_headers(feed("a"))
    with pytest.raises(FetchError, match="did not answer within 1 s"):
        fetch_url(feed_server.url(), timeout=1, max_bytes=10_000, allow_private=True,
                  context=client_tls)  # fmt: skip


def test_import_feed_from_a_dripping_server_is_one_clear_line(
    app, runner, session, feed_server, local_feeds
):
    app.config["FEED_TIMEOUT"] = 1
    feed_server.handler = drip_headers(feed("a"))
    result = runner.invoke(args=["import-feed", feed_server.url()])
    assert result.exit_code == 1
    assert "did not answer within 1 s" in result.output and "Traceback" not in result.output
    assert session.scalar(select(func.count(Source.id))) == 0


def test_a_prompt_local_server_is_imported_when_private_addresses_are_allowed(
    runner, session, feed_server, local_feeds
):
    feed_server.handler = serve(feed("a", "b"))
    result = runner.invoke(args=["import-feed", feed_server.url()])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output


# 11. Loopback and private addresses, first or after a redirect, need FEED_ALLOW_PRIVATE.


def test_a_feed_on_a_loopback_address_is_refused_by_default(
    app, runner, session, feed_server, client_tls
):
    app.extensions["finder.feed_tls_context"] = client_tls
    feed_server.handler = serve(feed("a"))
    result = runner.invoke(args=["import-feed", feed_server.url()])
    assert result.exit_code == 1
    assert "127.0.0.1 is a loopback address" in result.output
    assert "FEED_ALLOW_PRIVATE" in result.output
    assert session.scalar(select(func.count(Source.id))) == 0


def test_a_redirect_between_local_servers_is_followed_when_allowed(
    runner, feed_server, local_feeds
):
    calls: list[int] = []

    def handler(conn):
        calls.append(1)
        (redirect(feed_server.url("/moved.json")) if len(calls) == 1 else serve(feed("a")))(conn)

    feed_server.handler = handler
    result = runner.invoke(args=["import-feed", feed_server.url()])
    assert result.exit_code == 0, result.output
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("target", "address"),
    [
        ("https://127.0.0.1/feed.json", "127.0.0.1"),
        ("https://10.1.2.3/feed.json", "10.1.2.3"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://[::1]/feed.json", "::1"),
        ("https://localhost/feed.json", "localhost"),
    ],
)
def test_redirects_to_private_addresses_are_refused(target, address):
    request = Request("https://intergroup.example/")
    with pytest.raises(FetchError, match="refused a redirect") as refused:
        _HttpsOnlyRedirects().redirect_request(request, io.BytesIO(), 302, "Found", Message(),
                                               target)  # fmt: skip
    assert address in str(refused.value)
    assert "FEED_ALLOW_PRIVATE" in str(refused.value)


def test_redirects_to_private_addresses_are_followed_when_allowed():
    request = Request("https://intergroup.example/")
    follow = _HttpsOnlyRedirects(allow_private=True).redirect_request(
        request, io.BytesIO(), 302, "Found", Message(), "https://10.1.2.3/feed.json"
    )
    assert follow is not None and follow.full_url == "https://10.1.2.3/feed.json"


# 5. Deeply nested JSON: one clear line, or the one row rejected; refresh-feeds goes on.


def test_a_feed_nested_a_hundred_thousand_deep_is_refused_in_one_line(runner, tmp_path, session):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = runner.invoke(args=["import-feed", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: the feed's JSON is nested too deeply to be a feed"
    assert session.scalar(select(func.count(Source.id))) == 0


def test_a_row_with_a_400_deep_key_is_rejected_and_the_rest_imported(runner, tmp_path, session):
    deep: object = "x"
    for _ in range(400):
        deep = {"k": deep}
    rows = json.loads(feed("good", "deep"))
    rows[1]["notes"] = deep
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(rows))
    result = runner.invoke(args=["import-feed", str(path)])
    assert result.exit_code == 0, result.output
    assert "rejected index 1 (deep): is nested more than 20 levels deep" in result.output
    assert session.scalar(select(Meeting.slug)) == "good"


class FailingOpener:
    def __init__(self, answers: dict[str, object]) -> None:
        self.answers = answers

    def __call__(self, request: Request, timeout: float) -> object:
        answer = self.answers[request.full_url]
        if isinstance(answer, BaseException):
            raise answer
        return _Response(answer)  # type: ignore[arg-type]


class _Response(io.BytesIO):
    headers = Message()


def test_refresh_feeds_goes_on_after_any_failure_and_sums_up(app, runner, session):
    first, second, third = (f"https://{n}.example/feed.json" for n in ("aa", "bb", "cc"))
    opener = FailingOpener({first: feed("a"), second: feed("b"), third: feed("c")})
    app.extensions["finder.feed_opener"] = opener
    for url in (first, second, third):
        assert runner.invoke(args=["import-feed", url]).exit_code == 0
    opener.answers[first] = ("[" * 100_000).encode()
    opener.answers[second] = RuntimeError("something nobody foresaw")
    result = runner.invoke(args=["refresh-feeds"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    summary = result.output[result.output.index("Summary:") :]
    assert "aa.example/feed.json: failed: the feed's JSON is nested too deeply" in summary
    assert "bb.example/feed.json: failed: RuntimeError: something nobody foresaw" in summary
    assert "cc.example/feed.json: ok (0 added, 0 updated, 0 rejected)" in summary
    assert "2 of 3 feeds failed" in result.output


# 12. Two imports creating the same source at once: never a traceback.


def test_an_import_that_loses_the_race_for_a_new_source_uses_the_winners(
    app, runner, session, tmp_path, monkeypatch
):
    path = tmp_path / "feed.json"
    path.write_bytes(feed("a", "b"))
    original = service.register_source
    calls: list[int] = []

    def racing(db, spec, feed_format):
        calls.append(1)
        if len(calls) == 1:  # the other import commits the same new source first
            with app.app_context():
                winner = new_session()
                original(winner, spec, feed_format)
                winner.commit()
                winner.close()
            raise IntegrityError("INSERT INTO source", {}, Exception("UNIQUE constraint failed"))
        return original(db, spec, feed_format)

    monkeypatch.setattr(service, "register_source", racing)
    result = runner.invoke(args=["import-feed", str(path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "2 added" in result.output
    assert session.scalar(select(func.count(Source.id))) == 1


def test_an_import_kept_busy_ends_with_one_clear_line(runner, tmp_path, monkeypatch, session):
    path = tmp_path / "feed.json"
    path.write_bytes(feed("a"))

    def always_taken(*_args):
        raise IntegrityError("INSERT INTO source", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(service, "register_source", always_taken)
    result = runner.invoke(args=["import-feed", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: another import changed the same source")
    assert result.output.count("\n") == 1


# 13. Unbounded text is cut, with a warning naming the row; 15. bidi overrides stripped.


def test_huge_notes_and_names_are_cut_with_a_warning_naming_the_row(runner, tmp_path, session):
    rows = json.loads(feed("small", "huge"))
    rows[1]["notes"] = "Bring a friend. " * 1_000_000  # 16 MB
    rows[1]["name"] = "N" * 300
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(rows))
    result = runner.invoke(args=["import-feed", str(path)])
    assert result.exit_code == 0, result.output
    assert f"warning  index 1 (huge): notes is longer than {MAX_NOTES} characters; cut" in (
        result.output
    )
    assert "warning  index 1 (huge): name is longer than 255 characters; cut" in result.output
    meeting = session.scalar(select(Meeting).where(Meeting.slug == "huge"))
    assert meeting is not None
    assert len(meeting.notes) <= MAX_NOTES and meeting.notes.startswith("Bring a friend.")
    assert len(meeting.name) == 255


def test_bidirectional_overrides_are_stripped_from_imported_text(runner, tmp_path, session):
    rows = json.loads(feed("a"))
    rows[0].update(name="Step \u202eydutS", notes="Call \u2066555\u2069 \u202atoday\u202c",
                   location="Hall \u202d1", group="G\u2067roup\u2068")  # fmt: skip
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(rows))
    assert runner.invoke(args=["import-feed", str(path)]).exit_code == 0
    meeting = session.scalar(select(Meeting))
    assert meeting is not None
    assert (meeting.name, meeting.notes) == ("Step ydutS", "Call 555 today")
    assert meeting.location.name == "Hall 1"
    assert meeting.group is not None and meeting.group.name == "Group"
