"""Time zones a person can pick for counting their days, common ones first."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import available_timezones

# Registration without JavaScript (which would read the device's zone) starts here.
FALLBACK_ZONE = "America/New_York"

COMMON_ZONES: tuple[tuple[str, str], ...] = (
    ("UTC", "UTC (Coordinated Universal Time)"),
    ("America/New_York", "US Eastern (New York)"),
    ("America/Chicago", "US Central (Chicago)"),
    ("America/Denver", "US Mountain (Denver)"),
    ("America/Phoenix", "US Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "US Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("America/Halifax", "Canada Atlantic (Halifax)"),
    ("America/St_Johns", "Newfoundland (St. John's)"),
    ("America/Toronto", "Canada Eastern (Toronto)"),
    ("America/Winnipeg", "Canada Central (Winnipeg)"),
    ("America/Edmonton", "Canada Mountain (Edmonton)"),
    ("America/Vancouver", "Canada Pacific (Vancouver)"),
    ("America/Mexico_City", "Mexico (Mexico City)"),
    ("America/Bogota", "Colombia (Bogotá)"),
    ("America/Lima", "Peru (Lima)"),
    ("America/Santiago", "Chile (Santiago)"),
    ("America/Sao_Paulo", "Brazil (São Paulo)"),
    ("America/Argentina/Buenos_Aires", "Argentina (Buenos Aires)"),
    ("Europe/London", "UK (London)"),
    ("Europe/Dublin", "Ireland (Dublin)"),
    ("Europe/Lisbon", "Portugal (Lisbon)"),
    ("Europe/Madrid", "Spain (Madrid)"),
    ("Europe/Paris", "France (Paris)"),
    ("Europe/Amsterdam", "Netherlands (Amsterdam)"),
    ("Europe/Berlin", "Germany (Berlin)"),
    ("Europe/Rome", "Italy (Rome)"),
    ("Europe/Stockholm", "Sweden (Stockholm)"),
    ("Europe/Warsaw", "Poland (Warsaw)"),
    ("Europe/Athens", "Greece (Athens)"),
    ("Europe/Helsinki", "Finland (Helsinki)"),
    ("Europe/Istanbul", "Türkiye (Istanbul)"),
    ("Europe/Moscow", "Russia (Moscow)"),
    ("Africa/Lagos", "Nigeria (Lagos)"),
    ("Africa/Cairo", "Egypt (Cairo)"),
    ("Africa/Nairobi", "Kenya (Nairobi)"),
    ("Africa/Johannesburg", "South Africa (Johannesburg)"),
    ("Asia/Jerusalem", "Israel (Jerusalem)"),
    ("Asia/Dubai", "Gulf (Dubai)"),
    ("Asia/Karachi", "Pakistan (Karachi)"),
    ("Asia/Kolkata", "India (Kolkata)"),
    ("Asia/Dhaka", "Bangladesh (Dhaka)"),
    ("Asia/Bangkok", "Thailand (Bangkok)"),
    ("Asia/Jakarta", "Indonesia West (Jakarta)"),
    ("Asia/Singapore", "Singapore"),
    ("Asia/Manila", "Philippines (Manila)"),
    ("Asia/Hong_Kong", "Hong Kong"),
    ("Asia/Shanghai", "China (Shanghai)"),
    ("Asia/Seoul", "Korea (Seoul)"),
    ("Asia/Tokyo", "Japan (Tokyo)"),
    ("Australia/Perth", "Australia Western (Perth)"),
    ("Australia/Adelaide", "Australia Central (Adelaide)"),
    ("Australia/Brisbane", "Australia Eastern, no daylight saving (Brisbane)"),
    ("Australia/Sydney", "Australia Eastern (Sydney)"),
    ("Pacific/Auckland", "New Zealand (Auckland)"),
)


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The common zones, plus the current one (e.g. one the browser suggested) if missing."""
    choices = list(COMMON_ZONES)
    if current and current not in dict(choices) and is_known_zone(current):
        choices.insert(0, (current, current.replace("_", " ")))
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
    return dict(COMMON_ZONES).get(name) or name.replace("_", " ")


def guess_zone(languages: Iterable[str]) -> str:
    """A first guess from the browser's languages ("en-GB" -> Europe/London), else the fallback."""
    for tag in languages:
        parts = tag.replace("_", "-").split("-")
        for part in parts[1:]:
            zone = REGION_ZONES.get(part.upper()) if len(part) == 2 else None
            if zone:
                return zone
    return FALLBACK_ZONE
