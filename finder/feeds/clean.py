"""Tolerant readers for feed values: text with HTML, days, times, coordinates, slugs."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from html.parser import HTMLParser
from typing import Any

from finder import wrapped_links
from finder.feeds.record import RowError
from finder.models import SLUG_LENGTH
from finder.schedule import DAY_NAMES
from finder.textclean import strip_bidi

MAX_SLUG = 64
MAX_URL = 2000  # Meeting.conference_url and Meeting.source_url
MAX_NOTES = 5000  # characters of any notes field: a page of text, not a 15 MB book
MAX_DEPTH = 20  # JSON nesting a row may have (real rows have 2 or 3)
SURROGATES = re.compile("[\ud800-\udfff]")  # from JSON escapes; no encoding can store them
HTML_HINT = re.compile(r"<[a-zA-Z/!]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
BLOCK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
TIME_RE = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap])?\.?\s*m?\.?$", re.IGNORECASE)
DAY_WORDS: dict[str, int] = {}
for _number, _name in enumerate(DAY_NAMES):
    DAY_WORDS[_name.lower()] = _number
    DAY_WORDS[_name.lower()[:3]] = _number
DAY_WORDS.update({  # the languages tsml-ui reads in its spreadsheet format
    "domingo": 0, "lunes": 1, "martes": 2, "miércoles": 3, "miercoles": 3, "jueves": 4,
    "viernes": 5, "sábado": 6, "sabado": 6, "dimanche": 0, "lundi": 1, "mardi": 2,
    "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6,
})  # fmt: skip
US_NAMES = {"us", "usa", "u.s.", "u.s.a", "u.s.a.", "united states", "united states of america"}
US_ADDRESS_RE = re.compile(
    r"^(?P<address>[^,]+),\s*(?P<city>[^,]+),\s*(?P<state>[A-Z]{2})\s+"
    r"(?P<zip>\d{5})(?:-\d{4})?(?:,\s*(?P<country>USA|US|United States))?$"
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_html(value: str) -> str:
    """Plain text of what may be HTML: tags dropped, entities decoded, block tags as newlines."""
    value = SURROGATES.sub("", value.replace("\x00", ""))  # PostgreSQL refuses NUL in text
    value = strip_bidi(value)  # text-direction overrides could disguise a name or a link
    if not HTML_HINT.search(value):
        return value
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return "".join(parser.parts)


def has_surrogates(value: Any) -> bool:
    """Whether any text in the value (a row, a list, a string) has a lone UTF-16 surrogate."""
    pending = [value]
    while pending:  # a loop, not recursion: a row may be nested hundreds deep
        item = pending.pop()
        if isinstance(item, str) and SURROGATES.search(item) is not None:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest deeper than limit inside the value."""
    level: list[Any] = [value]
    for _depth in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return any(isinstance(item, (dict, list)) for item in level)


def text(value: Any, limit: int = 0) -> str:
    """A one-line plain-text field: HTML stripped, whitespace collapsed, clipped to limit."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    cleaned = " ".join(strip_html(str(value)).split())
    return cleaned[:limit].rstrip() if limit else cleaned


def notes(value: Any) -> str:
    """A multi-line plain-text field: HTML stripped, line breaks kept, blank runs squeezed.

    Notes of nothing but punctuation (a lone "," or "-" that a spreadsheet left) are empty.
    """
    return _notes(value)[:MAX_NOTES].rstrip()


def notes_cut(value: Any) -> bool:
    """Whether notes() cut this value to MAX_NOTES characters."""
    if not isinstance(value, str) or len(value) <= MAX_NOTES:
        return False
    return len(value) > MAX_NOTES * 4 or len(_notes(value)) > MAX_NOTES


def text_cut(value: Any, limit: int) -> bool:
    """Whether text(value, limit) cut this value."""
    return isinstance(value, str) and len(value) > limit and len(text(value)) > limit


def _notes(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    raw = str(value)[: MAX_NOTES * 4]  # cut before cleaning: tags and spaces shrink it further
    raw = strip_html(raw).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    joined = "\n".join(lines).strip()
    if all(ch.isspace() or unicodedata.category(ch).startswith("P") for ch in joined):
        return ""
    return re.sub(r"\n{3,}", "\n\n", joined)


def listing_updated(value: Any, now: dt.datetime | None = None) -> dt.datetime | None:
    """A feed's `updated` ("YYYY-MM-DD HH:MM:SS" UTC, or ISO 8601) as naive UTC; else None.

    Unreadable values (WordPress' "0000-00-00 00:00:00"), dates before 1990 and dates
    more than a day ahead are unknown, never an error: the row is still imported.
    """
    raw = text(value)
    if not raw:
        return None
    try:
        stamp = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    stamp = stamp.replace(microsecond=0)
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if stamp.year < 1990 or stamp > now + dt.timedelta(days=1):
        return None
    return stamp


def parse_time(value: Any, field: str = "time") -> dt.time | None:
    """ "19:30", "7:30 pm", "19:30:00" or "7pm" as a time; empty is None; nonsense raises."""
    return parse_clock(value, field)[0]


def parse_clock(value: Any, field: str = "time") -> tuple[dt.time | None, bool]:
    """(time, next day): as parse_time, and whether it was written 24:00 (the next day's 00:00)."""
    if value is None:
        return None, False
    raw = str(value).strip().lower()
    if raw in {"", "none", "null"}:
        return None, False
    if raw in {"noon", "12 noon"}:
        return dt.time(12, 0), False
    if raw == "midnight":
        return dt.time(0, 0), False
    match = TIME_RE.match(raw)
    if not match:
        raise RowError(f"{field} {value!r} is not a time like 19:30")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = match.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            raise RowError(f"{field} {value!r} is not a time like 7:30 pm")
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour == 24 and minute == 0:
        return dt.time(0, 0), True
    if hour > 23 or minute > 59:
        raise RowError(f"{field} {value!r} is not a time of day")
    return dt.time(hour, minute), False


def add_minutes(start: dt.time, minutes: int) -> dt.time:
    """A wall-clock time some minutes later, wrapping past midnight."""
    total = (start.hour * 60 + start.minute + minutes) % (24 * 60)
    return dt.time(total // 60, total % 60)


def parse_day(value: Any) -> int | None:
    """0 (Sunday) .. 6 from an integer, a numeric string or a weekday name; empty is None."""
    if value is None or isinstance(value, bool):
        return None if value is None else _bad_day(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip().lower().rstrip(".")
    if raw in {"", "none", "null"}:
        return None
    if raw.lstrip("-").isdigit():
        number = int(raw)
        return number if 0 <= number <= 6 else _bad_day(value)
    if raw in DAY_WORDS:
        return DAY_WORDS[raw]
    return _bad_day(value)


def _bad_day(value: Any) -> int:
    raise RowError(f"day {value!r} is not 0 (Sunday) to 6 (Saturday)")


def parse_days(value: Any) -> list[int | None]:
    """The days of a `day` field: a single day, a list, or a comma-separated string."""
    if isinstance(value, list):
        days = [parse_day(v) for v in value]
        unique = sorted({d for d in days if d is not None})
        if not unique:
            return [None]
        return list(unique)
    if isinstance(value, str) and "," in value:
        return parse_days([v for v in value.split(",") if v.strip()])
    return [parse_day(value)]


def parse_coordinate(value: Any, low: float, high: float) -> float | None:
    """A latitude or longitude from a number or a string; missing or invalid is None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(number) or not low <= number <= high:
        return None
    return number


# A phone written with nothing but digits and dialling characters ("+1 (669) 900-6833,,98#");
# else its first number, with the one-tap codes right after it.
PHONE_WRITTEN = re.compile(r"^[\d\s+().,*#-]*$")
FIRST_NUMBER = re.compile(r"(\+?\(?\d[\d\s().-]{5,}\d)([,*#]+\d[\d,*#]*)?")


def conference_phone(value: Any) -> tuple[str, str]:
    """(phone, note). A phone written with words ("+1 646 558 8656 Meeting ID: 901 964 988",
    "... or (312) 626-6799") dials its first number, and the words as written are a note:
    the digits of an ID or a second number joined to it would make a number nobody can dial."""
    raw = note = text(value)
    found = None if PHONE_WRITTEN.match(raw) else FIRST_NUMBER.search(raw)
    if found is None:
        note = ""
    else:
        raw = found.group(0)
    kept = "".join(ch for ch in raw if ch.isdigit() or ch in "+,*#")
    if not any(ch.isdigit() for ch in kept):
        return "", ""
    return kept[:100], note


def conference_url(value: Any) -> tuple[str, str]:
    """(url, leftover note): a bare host/path gains https://; text that is no URL becomes a note.

    A link written with words ("https://zoom.us/j/123 Passcode: 7", "Zoom: https://...") is
    its link, and the words as written a note: the meeting is still online. A link wrapped by
    a mail program's click checker is kept as given (finder's feed says what its source
    said); pages and the API show the link inside (finder.wrapped_links).
    A URL longer than MAX_URL (with its https://) is left out: see url_too_long().
    """
    raw = text(value)
    if not raw:
        return "", ""
    url, note = _link_in(raw)
    if url is None:
        return "", raw
    return (url, note) if len(url) <= MAX_URL else ("", "")


def url_too_long(value: Any) -> bool:
    """Whether conference_url() leaves this value out for being longer than MAX_URL."""
    url, _note = _link_in(text(value))
    return url is not None and len(url) > MAX_URL


def joins_nothing(value: Any) -> bool:
    """Whether this link is a mail program's click-checker address with no link inside
    (finder.wrapped_links): kept as given, for finder's feed says what its source said, but
    finder's pages and API show no join link for it."""
    url, _note = _link_in(text(value))
    return url is not None and wrapped_links.joins_nothing(url)


def service_home_page(value: Any) -> str | None:
    """The service's name when this link is only a meeting service's home page ("https://zoom.us"):
    kept as given, but pages show no join link for it (finder.wrapped_links)."""
    url, _note = _link_in(text(value))
    if url is None:
        return None
    return wrapped_links.service_home_page(url)


LINK_IN_WORDS = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)


def _link_in(raw: str) -> tuple[str | None, str]:
    """(url, note): the text as a URL; else the first link in it, the text kept as a note."""
    url = _as_url(raw)
    if url is not None:
        return url, ""
    found = LINK_IN_WORDS.search(raw)
    if found is None:
        return None, ""
    return found.group(0).rstrip(".,;:!?)]'\""), raw


def _as_url(raw: str) -> str | None:
    if re.match(r"^https?://\S+$", raw, re.IGNORECASE):
        return raw
    if re.match(r"^[\w.-]+\.[a-z]{2,}/\S*$", raw, re.IGNORECASE):
        return f"https://{raw}"
    return None


def types(value: Any) -> list[str]:
    """Type codes as given (unknown ones kept), from a list or a comma-separated string."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    codes: list[str] = []
    for item in items:
        code = text(item, 40)
        if code and code not in codes:
            codes.append(code)
    return codes


def regions(value: Any) -> list[str]:
    """A list of region names, general to specific, from a list or a "A > B" string."""
    if isinstance(value, list):
        items = value
    elif value is None or isinstance(value, dict):
        items = []
    else:
        items = str(value).split(">")
    return [name for name in (text(item, 100) for item in items) if name]


def country(value: Any) -> str:
    """Country as given, except the usual spellings of the United States become "US"."""
    name = text(value, 60)
    return "US" if name.lower() in US_NAMES else name


def split_us_address(formatted: str) -> dict[str, str]:
    """Street, city, state and ZIP of a US "street, city, ST 12345, USA" address, else {}."""
    match = US_ADDRESS_RE.match(formatted.strip())
    if not match:
        return {}
    return {  # clipped to the Location columns, as the fields given apart are
        "address": match.group("address").strip()[:255].rstrip(),
        "city": match.group("city").strip()[:100].rstrip(),
        "state": match.group("state"),
        "postal_code": match.group("zip"),
        "country": "US",
    }


def slugify(value: str) -> str:
    """A made-up slug (for formats that have none): lower case letters, digits, - and _;
    at most 64 characters, stably shortened. Slugs that feeds give are kept as given."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", value.strip().lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if slug and len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return with_suffix(slug or "meeting", digest, MAX_SLUG)


def with_suffix(slug: str, suffix: str, limit: int = SLUG_LENGTH) -> str:
    """The slug with "-suffix", the slug shortened only when the whole would pass the limit."""
    if len(slug) + len(suffix) + 1 <= limit:
        return f"{slug}-{suffix}"
    room = limit - len(suffix) - 1
    return f"{slug[:room].rstrip('-')}-{suffix}"
