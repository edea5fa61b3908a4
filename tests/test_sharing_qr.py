"""The QR code on a meeting page opens that page: its modules are segno's for the page's URL."""

from __future__ import annotations

import re

import segno

from finder.sharing.qr import ERROR_LEVEL

STEP = re.compile(r"([MmHhVv])\s*(-?\d+(?:\.\d+)?)(?:\s+(-?\d+(?:\.\d+)?))?")


def modules_from_svg(svg: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) drawn by the SVG's path of horizontal runs."""
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg)
    assert path, "no QR path in the SVG"
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, first, second in STEP.findall(path.group(1)):
        a = float(first)
        b = float(second) if second else 0.0
        if command == "M":
            x, y = a, b
        elif command == "m":
            x, y = x + a, y + b
        elif command == "h":
            for column in range(int(x), int(x + a)):
                dark.add((int(y), column))
            x += a
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def modules_of(url: str, border: int) -> set[tuple[int, int]]:
    code = segno.make(url, error=ERROR_LEVEL, micro=False)
    return {
        (r + border, c + border)
        for r, row in enumerate(code.matrix)
        for c, value in enumerate(row)
        if value
    }


def test_meeting_qr_encodes_the_page_url(client, make_meeting) -> None:
    m = make_meeting()
    response = client.get(f"/meetings/{m.slug}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    drawn = modules_from_svg(response.get_data(as_text=True))
    assert drawn == modules_of(f"http://localhost/meetings/{m.slug}", border=4)
    assert drawn != modules_of(f"http://localhost/meetings/{m.slug}x", border=4)


def test_qr_uses_the_public_base_url(app, client, make_meeting) -> None:
    app.config["SERVER_NAME_FOR_LINKS"] = "https://meetings.example.org"
    m = make_meeting()
    svg = client.get(f"/meetings/{m.slug}/qr.svg").get_data(as_text=True)
    assert modules_from_svg(svg) == modules_of(
        f"https://meetings.example.org/meetings/{m.slug}", border=4
    )


def test_meeting_page_shows_the_qr_code(client, make_meeting) -> None:
    m = make_meeting()
    html = client.get(f"/meetings/{m.slug}").get_data(as_text=True)
    assert (
        f'<img src="/meetings/{m.slug}/qr.svg" alt="QR code that opens this meeting page"' in html
    )
