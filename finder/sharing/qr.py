"""QR codes of page addresses, as small SVG files drawn by segno (no outside service)."""

from __future__ import annotations

import io
from functools import lru_cache

import segno

# Medium error correction survives a crease or a coffee ring on a printed page.
ERROR_LEVEL = "m"


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


@lru_cache(maxsize=256)
def qr_svg(url: str, title: str) -> bytes:
    """A scalable SVG (one unit per module, quiet zone of 4) that sizes to its box."""
    out = io.BytesIO()
    qr_code(url).save(
        out,
        kind="svg",
        scale=1,
        border=4,
        xmldecl=False,
        title=title,
        omitsize=True,
        dark="#000",
        light="#fff",
    )
    return out.getvalue()
