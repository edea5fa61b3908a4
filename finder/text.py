"""Names compared the way people type them: case and accents ignored ("sesion" finds "Sesión")."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower case without accents, spaces collapsed: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def name_words(text: str) -> tuple[str, ...]:
    """The folded words of a name search; each must appear in the meeting's or group's name."""
    return tuple(dict.fromkeys(fold(text).split()))


def name_key(meeting_name: str | None, group_name: str | None) -> str:
    """What a name search looks in: both names folded, on two lines (a word never spans them)."""
    return f"{fold(meeting_name or '')}\n{fold(group_name or '')}"


def name_matches(words: tuple[str, ...], key: str) -> bool:
    """Every word of the search is in the key (as part of a word: "seren" finds "Serenity")."""
    return all(word in key for word in words)
