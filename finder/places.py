"""Whether a feed's address is a room people can go to or only an area.

A source's own `approximate` key decides when it gives one. Otherwise an address
that names no street is an area: only a city, county, region or ZIP code
("Philadelphia, PA, USA", "Orange County, CA 92708"), or words that say there is
no room ("Virtual Only", "Online", "Zoom"). A named building with its city, state
and country ("St. Mark's Church, Philadelphia, PA 19103, USA") is a room.
"""

from __future__ import annotations

import re

STREET_WORD = re.compile(
    r"\w\.?\s+(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|pkwy|"
    r"parkway|hwy|highway|pl|place|ct|court|cir|circle|ter|terrace|pike|sq|square|"
    r"turnpike|tpke|route|rte|plaza|alley|row|walk|expressway|fwy|freeway)\b",
    re.IGNORECASE,
)
HOUSE_NUMBER = re.compile(r"^\s*(?:#\s*)?\d+[a-z]?(?:[-/]\d+[a-z]?)?\s+\w", re.IGNORECASE)
PO_BOX = re.compile(r"\b(?:p\.?\s*o\.?\s*box|box\s+\d)", re.IGNORECASE)
NO_ROOM_WORDS = re.compile(
    r"\b(?:virtual|online|on-line|zoom|remote|internet|web|teleconference|conference call|"
    r"phone meeting|google meet|skype|webex|tbd|tba)\b",
    re.IGNORECASE,
)
MIN_PARTS_WITH_BUILDING = 4  # "Building, City, ST ZIP, Country": something before the city


def names_street(address: str) -> bool:
    """A house number or a street word before the city ("12 Main St", "Rittenhouse Square")."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    # The last two parts are the state (ZIP) and the country, or the city and the state:
    # "CT 06103" or "Pl." there names no street.
    head = parts[:-2] or parts[:1]
    return any(HOUSE_NUMBER.match(p) or STREET_WORD.search(p) for p in head)


def is_area(address: str) -> bool:
    """Whether an address with no `approximate` key is only an area, not a room."""
    text = " ".join(address.split())
    if not text:
        return True
    if names_street(text):
        return False
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if NO_ROOM_WORDS.search(parts[0]) or PO_BOX.search(text):
        return True
    return len(parts) < MIN_PARTS_WITH_BUILDING
