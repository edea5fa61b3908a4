"""Draw the app icons (static/icon-*.png) from the shapes of static/favicon.svg.

Run once after changing the logo: `.venv/bin/python scripts/make_icons.py`. The PNGs are
committed; nothing is drawn at run time. Pure numpy (4x4 supersampling) and zlib.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

STATIC = Path(__file__).resolve().parent.parent / "static"
BLUE = (0x0B, 0x57, 0xD0)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4


def coverage(size: int, scale: float, offset: float, shape: str) -> np.ndarray:
    """Fraction of each pixel inside a favicon shape (favicon units: a 32 x 32 box)."""
    n = size * SAMPLES
    steps = (np.arange(n) + 0.5) / SAMPLES
    x, y = np.meshgrid(steps, steps)
    u, v = (x - offset) / scale, (y - offset) / scale
    if shape == "disc":
        inside = (u - 16) ** 2 + (v - 16) ** 2 <= 15**2
    elif shape == "head":
        inside = (u - 16) ** 2 + (v - 13) ** 2 <= 5**2
    else:  # the point: triangle (10,17) (22,17) (16,28)
        inside = (v >= 17) & (v <= 28) & (np.abs(u - 16) <= (28 - v) * 6 / 11)
    return inside.reshape(size, SAMPLES, size, SAMPLES).mean(axis=(1, 3))


def draw(size: int, maskable: bool) -> np.ndarray:
    """RGBA pixels: the round logo, or for maskable a full-bleed square with the pin inside."""
    rgba = np.zeros((size, size, 4))
    if maskable:
        scale = size * 0.6 / 32  # the glyph inside the maskable safe zone (80% circle)
        rgba[..., :3] = BLUE
        rgba[..., 3] = 255
        background = np.ones((size, size))
    else:
        scale = size / 32
        background = coverage(size, scale, 0, "disc")
        rgba[..., :3] = BLUE
        rgba[..., 3] = background * 255
    offset = (size - 32 * scale) / 2
    glyph = np.maximum(
        coverage(size, scale, offset, "head"), coverage(size, scale, offset, "point")
    )
    glyph = np.minimum(glyph, background)
    for channel in range(3):
        rgba[..., channel] = BLUE[channel] * (1 - glyph) + WHITE[channel] * glyph
    return rgba.round().astype(np.uint8)


def png(pixels: np.ndarray) -> bytes:
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ):
        (STATIC / name).write_bytes(png(draw(size, maskable)))
        print(f"static/{name}")


if __name__ == "__main__":
    main()
