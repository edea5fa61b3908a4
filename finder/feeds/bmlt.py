"""BMLT `GetSearchResults` JSON reshaped into Meeting Guide rows.

Weekdays are 1 = Sunday .. 7; times "HH:MM:SS" with a duration; formats are
comma-separated keys described by a separate `formats` list. Formats whose
meaning matches a Meeting Guide type become that code (by their NAWS world id
or their name); the others keep their name, which is shown as given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from finder.catalog import feed_type_codes, type_name
from finder.feeds import clean
from finder.places import NO_ROOM_WORDS

# NAWS world ids (the shared vocabulary of BMLT servers) with a Meeting Guide twin.
WORLD_TYPES = {
    "OPEN": "O", "CLOSED": "C", "WCHR": "X", "BEG": "BE", "DISC": "D", "SPK": "SP",
    "STEP": "ST", "TRAD": "TR", "W": "W", "M": "M", "Y": "Y", "GL": "LGBTQ", "CAN": "CAN",
    "MED": "MED", "LIT": "LIT", "TC": "TC", "VM": "ONL", "CW": "CF",
    # NA literature studies (Basic Text, Just for Today, It Works, Living Clean, pamphlets)
    # are Literature; the Step Working Guides are a Step study.
    "BT": "LIT", "JFT": "LIT", "IW": "LIT", "LC": "LIT", "IP": "LIT", "SWG": "ST",
}  # fmt: skip
# World ids broader in Meeting Guide than in NA: a format with its own name ("Just for
# Today", "Traditions Workshop", "Speaker/Discussion") keeps it beside the code.
NARROWER = {"BT", "JFT", "IW", "LC", "IP", "SWG", "TRAD", "LIT", "SPK"}
NAME_TYPES = {
    "open": "O", "closed": "C", "wheelchair": "X", "wheelchair accessible": "X",
    "women": "W", "men": "M", "espanol": "S", "español": "S", "spanish": "S", "asl": "ASL",
    "american sign language": "ASL", "virtual": "ONL", "virtual meeting": "ONL",
    "online": "ONL", "temporarily closed": "TC", "beginners": "BE", "newcomer": "BE",
    "candlelight": "CAN", "meditation": "MED", "young people": "Y",
}  # fmt: skip
# When a server sends no formats list: the keys of BMLT's default format set.
DEFAULT_KEYS = {"O": "O", "C": "C", "WC": "X", "VM": "ONL", "TC": "TC", "B": "BE", "W": "W",
                "M": "M", "ES": "S", "CL": "CAN", "YP": "Y", "ME": "MED"}  # fmt: skip
VENUES = {"1": "in_person", "2": "online", "3": "hybrid"}
DURATION_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


def looks_like_bmlt(rows: list[Any]) -> bool:
    first = next((row for row in rows if isinstance(row, dict)), {})
    return "weekday_tinyint" in first or "meeting_name" in first


def to_rows(meetings: list[Any], formats: list[Any]) -> list[Any]:
    """Meeting Guide rows for BMLT meetings, in the same order."""
    types_by_key = format_types(formats)
    return [_row(m, types_by_key) if isinstance(m, dict) else m for m in meetings]


def format_types(formats: list[Any]) -> dict[str, list[str]]:
    """Format key -> its Meeting Guide codes, else the format's name.

    "Speaker/Discussion" is both codes; a format narrower than its code ("Just for Today",
    a Literature meeting) keeps its own name beside the code, and the meeting page lists it
    ("The source also lists: Just for Today"); finder's feed publishes only the code."""
    mapping: dict[str, list[str]] = {}
    for fmt in formats:
        if not isinstance(fmt, dict) or not fmt.get("key_string"):
            continue
        key = str(fmt["key_string"]).strip()
        name = clean.text(fmt.get("name_string"), 40)
        world = str(fmt.get("world_id") or "").strip().upper()
        mapping[key] = _format_codes(name, world) or [name or key]
    return mapping


def _format_codes(name: str, world: str) -> list[str]:
    parts = [part.strip() for part in name.split("/") if part.strip()]
    if len(parts) > 1 and (not world or world in NARROWER):  # GL stays LGBTQ, as NAWS means
        split = [_named_code(part) for part in parts]
        if all(split):
            return list(dict.fromkeys(code for code in split if code))
    code = WORLD_TYPES.get(world) or _named_code(name)
    if not code:
        return []
    if world in NARROWER and name and not _same_words(name, type_name(code)):
        return [code, name]
    return [code]


def _named_code(name: str) -> str | None:
    """The code a format's name says, in BMLT's words or in types.json's own English."""
    words = name.strip().lower()
    return NAME_TYPES.get(words) or _english_codes().get(words)


@lru_cache(maxsize=1)
def _english_codes() -> dict[str, str]:
    return {type_name(code).lower(): code for code in sorted(feed_type_codes())}


def _same_words(name: str, code_name: str) -> bool:
    """ "Step" and "Step Study", "Speaker Only" and "Speaker": one says what the other does."""
    a, b = name.lower(), code_name.lower()
    return a in b or b in a


def _types(keys: Any, types_by_key: dict[str, list[str]]) -> list[str]:
    codes: list[str] = []
    for key in str(keys or "").split(","):
        key = key.strip()
        if not key:
            continue
        found = types_by_key.get(key) or [DEFAULT_KEYS.get(key, key)]
        codes += [code for code in found if code not in codes]
    return codes


def _weekday(value: Any) -> int | None:
    raw = str(value if value is not None else "").strip()
    if raw.isdigit() and 1 <= int(raw) <= 7:
        return int(raw) - 1
    return None


def _end_time(start: Any, duration: Any) -> str:
    try:
        begin = clean.parse_time(start)
    except ValueError:
        return ""
    match = DURATION_RE.match(str(duration or "").strip())
    if begin is None or not match:
        return ""
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    if minutes <= 0:
        return ""
    return clean.add_minutes(begin, minutes).strftime("%H:%M")


def _error(m: dict[str, Any], day: int | None) -> str:
    if str(m.get("published", "1")).strip() == "0":
        return "not published by the BMLT server"
    if day is None:
        return f"weekday_tinyint {m.get('weekday_tinyint')!r} is not 1 (Sunday) to 7 (Saturday)"
    return ""


# The words before BMLT's transit lines in the location notes finder stores (the Meeting Guide
# format has no field for them); pages in other languages translate them (search.present).
TRAINS, BUSES = "Trains:", "Buses:"


# BMLT servers may keep a field's prompt before its value: "Bus Lines#@-@#S40".
PROMPT_SEPARATOR = "#@-@#"


def _field_value(value: Any) -> str:
    """A BMLT text field without the prompt some servers keep before the value."""
    return clean.text(clean.text(value).rpartition(PROMPT_SEPARATOR)[2])


def _location_notes(m: dict[str, Any]) -> str:
    lines = [clean.text(m.get("location_info"))]
    for label, field in ((TRAINS, "train_lines"), (BUSES, "bus_lines")):
        value = _field_value(m.get(field))
        if value:
            lines.append(f"{label} {value}")
    return "\n".join(line for line in lines if line)


def _regions(m: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for field in ("location_sub_province", "location_city_subsection", "location_neighborhood"):
        name = clean.text(m.get(field))
        if name and name not in names:
            names.append(name)
    return names


def _place_lines(m: dict[str, Any]) -> tuple[Any, Any]:
    """(location, address). With no street line, the building's line is the address, as
    BMLT sites show it ("Allah School, New York NY 10027"): a room, not "no address";
    unless it says there is no room ("Zoom", "Virtual")."""
    building, street = m.get("location_text"), m.get("location_street")
    name = clean.text(building)
    if clean.text(street) or not name or NO_ROOM_WORDS.search(name):
        return building, street
    return "", building


def _row(m: dict[str, Any], types_by_key: dict[str, list[str]]) -> dict[str, Any]:
    ident = clean.text(m.get("id_bigint"))
    day = _weekday(m.get("weekday_tinyint"))
    venue = VENUES.get(str(m.get("venue_type", "")).strip(), "")
    location, address = _place_lines(m)
    return {
        "_error": _error(m, day),
        "_key": ident,
        "slug": clean.slugify(f"{clean.text(m.get('meeting_name'))} {ident}") if ident else "",
        "name": m.get("meeting_name"),
        "day": day,
        "time": m.get("start_time"),
        "end_time": _end_time(m.get("start_time"), m.get("duration_time")),
        "timezone": m.get("time_zone"),
        "types": _types(m.get("formats"), types_by_key),
        "notes": m.get("comments"),
        "location": location,
        "location_notes": _location_notes(m),
        "address": address,
        "city": m.get("location_municipality") or m.get("location_city_subsection"),
        "state": m.get("location_province"),
        "postal_code": m.get("location_postal_code_1"),
        "country": m.get("location_nation"),
        "latitude": m.get("latitude"),
        "longitude": m.get("longitude"),
        "approximate": "yes" if venue == "online" else "no",
        "regions": _regions(m),
        "conference_url": m.get("virtual_meeting_link"),
        "conference_url_notes": m.get("virtual_meeting_additional_info"),
        "conference_phone": m.get("phone_meeting_number"),
        "attendance_option": venue,
    }
