"""Fixed vocabularies: fellowships and Meeting Guide meeting type codes (types.json)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.models import Fellowship


# (code, name): the fellowships finder knows; "other" takes the rest.
def N_(text: str) -> str:
    """Marks words for translation where they are defined (pybabel reads N_); they are
    translated where they are shown (finder.i18n.fellowship_name)."""
    return text


# Each fellowship's name in English; pages show it in their language (Spanish programs
# have their own names: Alcohólicos Anónimos, Narcóticos Anónimos...).
FELLOWSHIPS: tuple[tuple[str, str], ...] = (
    ("aa", N_("Alcoholics Anonymous")),
    ("na", N_("Narcotics Anonymous")),
    ("ha", N_("Heroin Anonymous")),
    ("ca", N_("Cocaine Anonymous")),
    ("smart", N_("SMART Recovery")),
    ("rd", N_("Recovery Dharma")),
    ("refuge", N_("Refuge Recovery")),
    ("cr", N_("Celebrate Recovery")),
    ("alanon", N_("Al-Anon")),
    ("other", N_("Other peer support")),
)
FELLOWSHIP_NAMES = dict(FELLOWSHIPS)
FELLOWSHIP_SHORT = {
    "aa": "AA",
    "na": "NA",
    "ha": "HA",
    "ca": "CA",
    "smart": "SMART",
    "rd": N_("Recovery Dharma"),
    "refuge": N_("Refuge Recovery"),
    "cr": N_("Celebrate Recovery"),
    "alanon": N_("Al-Anon"),
    "other": N_("Other"),
}

# Codes that are still common in real feeds but are not (or no longer) in types.json.
EXTRA_TYPES = {"ONL": "Online", "TC": "Location Temporarily Closed"}


@lru_cache(maxsize=1)
def _types() -> dict[str, dict[str, str]]:
    raw = resources.files("finder").joinpath("data/types.json").read_text("utf-8")
    data: dict[str, dict[str, str]] = json.loads(raw)
    return data


def type_codes() -> list[str]:
    return sorted(_types())


@lru_cache(maxsize=1)
def feed_type_codes() -> frozenset[str]:
    """The Meeting Guide codes a feed may carry: types.json and the proposed new ones."""
    raw = resources.files("finder").joinpath("data/proposed-new.json").read_text("utf-8")
    return frozenset(_types()) | frozenset(json.loads(raw))


def type_name(code: str, lang: str = "en") -> str:
    """The type's name in words; an unknown code is shown as given."""
    names = _types().get(code)
    if names:
        return names.get(lang) or names["en"]
    return EXTRA_TYPES.get(code, code)


def type_choices(lang: str = "en") -> list[tuple[str, str]]:
    """(code, name) for every official type, sorted by name."""
    return sorted(((c, type_name(c, lang)) for c in _types()), key=lambda item: item[1].lower())


def ensure_fellowships(session: Session) -> dict[str, Fellowship]:
    """Create any missing fellowship rows; returns them by code."""
    existing = {f.code: f for f in session.scalars(select(Fellowship))}
    for code, name in FELLOWSHIPS:
        if code not in existing:
            existing[code] = Fellowship(code=code, name=name)
            session.add(existing[code])
    session.flush()
    return existing
