"""Time zones a person can pick for counting their days, common ones first."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from wtforms import SelectChoice

from finder.i18n import lazy_gettext as _l

# Registration without JavaScript (which would read the device's zone) starts here.
FALLBACK_ZONE = "America/New_York"

# Labels in the person's language (lazy: read when a page is drawn).
COMMON_ZONES: tuple[tuple[str, Any], ...] = (
    ("UTC", _l("UTC (Coordinated Universal Time)")),
    ("America/New_York", _l("US Eastern (New York)")),
    ("America/Chicago", _l("US Central (Chicago)")),
    ("America/Denver", _l("US Mountain (Denver)")),
    ("America/Phoenix", _l("US Mountain, no daylight saving (Phoenix)")),
    ("America/Los_Angeles", _l("US Pacific (Los Angeles)")),
    ("America/Anchorage", _l("Alaska (Anchorage)")),
    ("Pacific/Honolulu", _l("Hawaii (Honolulu)")),
    ("America/Puerto_Rico", _l("Atlantic (Puerto Rico)")),
    ("America/Halifax", _l("Canada Atlantic (Halifax)")),
    ("America/St_Johns", _l("Newfoundland (St. John's)")),
    ("America/Toronto", _l("Canada Eastern (Toronto)")),
    ("America/Winnipeg", _l("Canada Central (Winnipeg)")),
    ("America/Edmonton", _l("Canada Mountain (Edmonton)")),
    ("America/Vancouver", _l("Canada Pacific (Vancouver)")),
    ("America/Mexico_City", _l("Mexico (Mexico City)")),
    ("America/Bogota", _l("Colombia (Bogotá)")),
    ("America/Lima", _l("Peru (Lima)")),
    ("America/Santiago", _l("Chile (Santiago)")),
    ("America/Sao_Paulo", _l("Brazil (São Paulo)")),
    ("America/Argentina/Buenos_Aires", _l("Argentina (Buenos Aires)")),
    ("Europe/London", _l("UK (London)")),
    ("Europe/Dublin", _l("Ireland (Dublin)")),
    ("Europe/Lisbon", _l("Portugal (Lisbon)")),
    ("Europe/Madrid", _l("Spain (Madrid)")),
    ("Europe/Paris", _l("France (Paris)")),
    ("Europe/Amsterdam", _l("Netherlands (Amsterdam)")),
    ("Europe/Berlin", _l("Germany (Berlin)")),
    ("Europe/Rome", _l("Italy (Rome)")),
    ("Europe/Stockholm", _l("Sweden (Stockholm)")),
    ("Europe/Warsaw", _l("Poland (Warsaw)")),
    ("Europe/Athens", _l("Greece (Athens)")),
    ("Europe/Helsinki", _l("Finland (Helsinki)")),
    ("Europe/Istanbul", _l("Türkiye (Istanbul)")),
    ("Europe/Moscow", _l("Russia (Moscow)")),
    ("Africa/Lagos", _l("Nigeria (Lagos)")),
    ("Africa/Cairo", _l("Egypt (Cairo)")),
    ("Africa/Nairobi", _l("Kenya (Nairobi)")),
    ("Africa/Johannesburg", _l("South Africa (Johannesburg)")),
    ("Asia/Jerusalem", _l("Israel (Jerusalem)")),
    ("Asia/Dubai", _l("Gulf (Dubai)")),
    ("Asia/Karachi", _l("Pakistan (Karachi)")),
    ("Asia/Kolkata", _l("India (Kolkata)")),
    ("Asia/Dhaka", _l("Bangladesh (Dhaka)")),
    ("Asia/Bangkok", _l("Thailand (Bangkok)")),
    ("Asia/Jakarta", _l("Indonesia West (Jakarta)")),
    ("Asia/Singapore", _l("Singapore")),
    ("Asia/Manila", _l("Philippines (Manila)")),
    ("Asia/Hong_Kong", _l("Hong Kong")),
    ("Asia/Shanghai", _l("China (Shanghai)")),
    ("Asia/Seoul", _l("Korea (Seoul)")),
    ("Asia/Tokyo", _l("Japan (Tokyo)")),
    ("Australia/Perth", _l("Australia Western (Perth)")),
    ("Australia/Adelaide", _l("Australia Central (Adelaide)")),
    ("Australia/Brisbane", _l("Australia Eastern, no daylight saving (Brisbane)")),
    ("Australia/Sydney", _l("Australia Eastern (Sydney)")),
    ("Pacific/Auckland", _l("New Zealand (Auckland)")),
)


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def zone_choices(current: str | None = None) -> list[SelectChoice]:
    """The common zones, plus the current one (e.g. one the browser suggested) if missing."""
    choices = [SelectChoice(name, str(label)) for name, label in COMMON_ZONES]
    if current and current not in {c.value for c in choices} and is_known_zone(current):
        choices.insert(0, SelectChoice(current, current.replace("_", " ")))
    return choices


# The zone where most people of a country live, for a browser's language region ("en-GB").
REGION_ZONES: dict[str, str] = {
    "US": "America/New_York",
    "CA": "America/Toronto",
    "MX": "America/Mexico_City",
    "PR": "America/Puerto_Rico",
    "CO": "America/Bogota",
    "PE": "America/Lima",
    "CL": "America/Santiago",
    "BR": "America/Sao_Paulo",
    "AR": "America/Argentina/Buenos_Aires",
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "PT": "Europe/Lisbon",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "BE": "Europe/Brussels",
    "NL": "Europe/Amsterdam",
    "DE": "Europe/Berlin",
    "AT": "Europe/Vienna",
    "CH": "Europe/Zurich",
    "IT": "Europe/Rome",
    "SE": "Europe/Stockholm",
    "NO": "Europe/Oslo",
    "DK": "Europe/Copenhagen",
    "PL": "Europe/Warsaw",
    "GR": "Europe/Athens",
    "FI": "Europe/Helsinki",
    "TR": "Europe/Istanbul",
    "RU": "Europe/Moscow",
    "NG": "Africa/Lagos",
    "EG": "Africa/Cairo",
    "KE": "Africa/Nairobi",
    "ZA": "Africa/Johannesburg",
    "IL": "Asia/Jerusalem",
    "AE": "Asia/Dubai",
    "PK": "Asia/Karachi",
    "IN": "Asia/Kolkata",
    "BD": "Asia/Dhaka",
    "TH": "Asia/Bangkok",
    "ID": "Asia/Jakarta",
    "SG": "Asia/Singapore",
    "PH": "Asia/Manila",
    "HK": "Asia/Hong_Kong",
    "CN": "Asia/Shanghai",
    "KR": "Asia/Seoul",
    "JP": "Asia/Tokyo",
    "AU": "Australia/Sydney",
    "NZ": "Pacific/Auckland",
}


def zone_label(name: str) -> str:
    """How a zone reads on the page: 'US Pacific (Los Angeles)', or its name without '_'."""
    label = dict(COMMON_ZONES).get(name)
    return str(label) if label is not None else name.replace("_", " ")


def guess_zone(languages: Iterable[str]) -> str:
    """A first guess from the browser's languages ("en-GB" -> Europe/London), else the fallback."""
    for tag in languages:
        parts = tag.replace("_", "-").split("-")
        for part in parts[1:]:
            zone = REGION_ZONES.get(part.upper()) if len(part) == 2 else None
            if zone:
                return zone
    return FALLBACK_ZONE
