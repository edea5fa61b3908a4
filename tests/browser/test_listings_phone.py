"""Faithful listings on a phone: the "no longer listed" page and a meeting listed twice."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.test_phone import no_horizontal_scroll, serious_violations
from tests.feeds_support import import_rows

PLACE = {"latitude": 40.7484, "longitude": -73.9967,
         "formatted_address": "350 5th Ave, New York, NY 10118, USA"}  # fmt: skip
LEAVING = {"name": "Tuesday Night Step Study With A Rather Long Name", "slug": "Tuesday-Step",
           "day": 2, "time": "19:30", **PLACE}  # fmt: skip
STAYING = {"name": "Noon Group", "slug": "noon", "day": 3, "time": "12:00", **PLACE}


@pytest.mark.parametrize("width", [390, 320])
def test_the_gone_page_fits_the_phone_and_passes_axe(
    page: Page, app: Flask, live_server: str, width: int
) -> None:
    import_rows(app, [LEAVING, STAYING], name="intergroup")
    import_rows(app, [STAYING, {**STAYING, "slug": "twice", "name": "Noon Group"}],
                name="intergroup")  # fmt: skip
    page.set_viewport_size({"width": width, "height": 844})
    response = page.goto(live_server + "/meetings/Tuesday-Step")
    assert response is not None and response.status == 410
    expect(page.get_by_text("no longer listed", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="Noon Group").first).to_be_visible()
    no_horizontal_scroll(page)
    assert serious_violations(page) == []
