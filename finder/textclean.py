"""Text hygiene shared by forms, imports and logs: control and bidi characters, length caps."""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; tab, newline and carriage return are allowed in multi-line text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates: they can make text read backwards
# ("moc.elpmaxe" shown as "example.com") and have no place in a meeting listing.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
LOG_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def has_control(value: str, multiline: bool = False) -> bool:
    """Whether the text has a character no person types (NUL, escape, ...)."""
    if CONTROL.search(value) or BIDI.search(value):
        return True
    return not multiline and LINE_BREAKS.search(value) is not None


def strip_bidi(value: str) -> str:
    return BIDI.sub("", value)


def clip(value: str, limit: int) -> tuple[str, bool]:
    """(text cut to at most limit characters, whether anything was cut)."""
    if len(value) <= limit:
        return value, False
    return value[:limit].rstrip(), True


def for_log(value: str, limit: int = 300) -> str:
    """Text safe to write on one log line: controls escaped (no forged lines), length capped."""
    escaped = LOG_UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                             else f"\\u{ord(m.group()):04x}", value)  # fmt: skip
    return escaped if len(escaped) <= limit else escaped[:limit] + "..."
