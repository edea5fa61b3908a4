"""The Meeting Guide spreadsheet (table) format as CSV, reshaped into Meeting Guide rows.

Headers are plain words ("Time", "End Time", "Day", "Name", "Location",
"Address", "City", "State", "Postal Code", "Types", "Region", ...) read the way
tsml-ui reads a Google Sheet: "ID" is the slug, "Full Address" the formatted
address, types may be names ("Open, Discussion"), regions may be "A > B", days
are weekday names and times may be "7:30 PM". Rows with no value at all are
skipped; a row without a slug gets a key from its name, day, time and address.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from typing import Any

from finder.catalog import EXTRA_TYPES, type_codes, type_name
from finder.feeds import clean

ALIASES = {
    "id": "slug", "full_address": "formatted_address", "zip": "postal_code",
    "zip_code": "postal_code", "postcode": "postal_code", "lat": "latitude",
    "lng": "longitude", "long": "longitude", "lon": "longitude", "location_name": "location",
    "meeting_name": "name", "start_time": "time", "type": "types", "time_zone": "timezone",
    "group_name": "group", "weekday": "day",
}  # fmt: skip
LANGUAGES = ("en", "es", "fr", "ja", "nl", "pt", "sk", "sv", "th")


def looks_like_csv(text: str) -> bool:
    """True when the first line is a header with at least a name and a day or time."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        headers = {header_key(h) for h in next(csv.reader([first]), [])}
    except csv.Error:  # a lone carriage return, a NUL: not a table (binary, most likely)
        return False
    return "name" in headers and bool(headers & {"day", "time"})


def header_key(header: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")
    return ALIASES.get(key, key)


@lru_cache(maxsize=1)
def type_codes_by_name() -> dict[str, str]:
    """Lower-cased type names in every language (and the codes themselves) -> code."""
    mapping: dict[str, str] = {}
    for code in type_codes():
        mapping[code.lower()] = code
        for lang in LANGUAGES:
            mapping.setdefault(type_name(code, lang).lower(), code)
    for code, name in EXTRA_TYPES.items():
        mapping.setdefault(code.lower(), code)
        mapping.setdefault(name.lower(), code)
    return mapping


def _type_codes(value: str) -> list[str]:
    codes = type_codes_by_name()
    result: list[str] = []
    for item in value.split(","):
        name = item.strip()
        code = codes.get(name.lower(), name)
        if code and code not in result:
            result.append(code)
    return result


def _fallback_key(row: dict[str, Any]) -> str:
    parts = (row.get("name"), row.get("day"), row.get("time"),
             row.get("formatted_address") or row.get("address"))  # fmt: skip
    return " ".join(str(p) for p in parts if p)


def to_rows(text: str) -> list[dict[str, Any]]:
    """Meeting Guide rows, one per non-empty line of the table."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    headers = [header_key(h) for h in next(reader, [])]
    rows: list[dict[str, Any]] = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        row: dict[str, Any] = {}
        for key, value in zip(headers, values, strict=False):
            if key and value.strip():
                row[key] = value.strip()
        if "types" in row:
            row["types"] = _type_codes(row["types"])
        if not row.get("slug"):
            row["_key"] = _fallback_key(row)
            row["slug"] = clean.slugify(row["_key"])  # made up here: a URL-safe one
        rows.append(row)
    return rows
