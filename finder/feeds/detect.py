"""Recognise a feed's format from its bytes and read it into FeedMeetings."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from typing import Any

from finder.feeds import bmlt, csv_table, meeting_guide
from finder.feeds.record import FeedMeeting, RowReport

FORMAT_NAMES = {
    "meeting-guide": "Meeting Guide JSON",
    "bmlt": "BMLT search results",
    "csv": "Meeting Guide table (CSV)",
}


class FeedFormatError(ValueError):
    """The bytes are not a feed finder can read; the message says what they are not."""


@dataclass
class ParsedFeed:
    format: str
    rows: int
    meetings: list[FeedMeeting]
    rejected: list[RowReport]


def decode(data: bytes) -> str:
    """Text of the feed: UTF-8 (with or without a BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect(text: str) -> tuple[str, list[Any]]:
    """(format, Meeting Guide rows) for a feed's text; FeedFormatError when unrecognised."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise FeedFormatError(f"the feed is not valid JSON ({exc})") from exc
        except ValueError as exc:  # a number of thousands of digits: Python refuses to read it
            raise FeedFormatError(f"the feed's JSON has a value no feed holds ({exc})") from exc
        except RecursionError as exc:  # "[[[[..." a hundred thousand deep
            raise FeedFormatError("the feed's JSON is nested too deeply to be a feed") from exc
        return _from_json(data)
    if csv_table.looks_like_csv(stripped):
        try:
            return "csv", list(csv_table.to_rows(stripped))
        except csv.Error as exc:
            raise FeedFormatError(f"the feed is not a readable CSV table ({exc})") from exc
    raise FeedFormatError(
        "the feed is neither Meeting Guide JSON, a BMLT search result, "
        "nor a CSV table with Name and Day or Time columns"
    )


def _from_json(data: Any) -> tuple[str, list[Any]]:
    if isinstance(data, dict):
        meetings = data.get("meetings")
        if not isinstance(meetings, list):
            raise FeedFormatError("the feed is a JSON object without a list of meetings")
        if "formats" in data or bmlt.looks_like_bmlt(meetings):
            formats = data.get("formats")
            return "bmlt", bmlt.to_rows(meetings, formats if isinstance(formats, list) else [])
        return "meeting-guide", meetings
    if isinstance(data, list):
        if bmlt.looks_like_bmlt(data):
            return "bmlt", bmlt.to_rows(data, [])
        return "meeting-guide", data
    raise FeedFormatError("the feed's JSON is neither a list of meetings nor an object")


def parse_feed(data: bytes) -> ParsedFeed:
    """Detect the format and read every row; bad rows are rejected, never raised."""
    kind, rows = detect(decode(data))
    meetings, rejected = meeting_guide.parse_rows(rows)
    return ParsedFeed(kind, len(rows), meetings, rejected)
