"""Search locations never reach the logs."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.orm import Session

from finder.geocoding import locate
from finder.logs import StripQueryStrings, configure
from tests.conftest import FakeGeocoder


def test_request_log_lines_lose_their_query_strings() -> None:
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s %s',
        ("203.0.113.9", "GET /meetings?near=10001&lat=40.7&lng=-73.9 HTTP/1.1", "200", "-"),
        None,
    )  # fmt: skip
    assert StripQueryStrings().filter(record)
    line = record.getMessage()
    assert "10001" not in line and "40.7" not in line
    assert "GET /meetings HTTP/1.1" in line


def test_access_loggers_are_filtered() -> None:
    configure()
    for name in ("werkzeug", "gunicorn.access"):
        assert any(isinstance(f, StripQueryStrings) for f in logging.getLogger(name).filters)


def test_geocoder_outage_log_does_not_name_the_place(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        locate(session, "350 Fifth Avenue, New York, NY 10118", FakeGeocoder(down=True))
    assert "Fifth" not in caplog.text and "10118" not in caplog.text
    assert "unavailable" in caplog.text
