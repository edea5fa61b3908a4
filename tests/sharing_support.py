"""Helpers for the sharing tests: a frozen clock, page parsing, iCalendar expansion."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html import unescape

import icalendar
import pytest
from dateutil.rrule import rrulestr

import finder.search


def freeze(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(finder.search, "now_utc", lambda: moment)


def meta(html: str, key: str) -> str:
    """The content of <meta property|name="key">."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert match, f"no {key} meta tag"
    return unescape(match.group(1))


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def events(body: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def starts(event: icalendar.Event, count: int) -> list[dt.datetime]:
    """The first `count` starts of a recurring event, as its RRULE and DTSTART give them."""
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart"))
    return list(itertools.islice(iter(rule), count))
