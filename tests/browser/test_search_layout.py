"""Search pages on a narrow phone: long words wrap, filters can be sent, pages fit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from finder.models import Meeting

LONG_NAME = "Sunset Literature/Discussion Step-Study-Meeting-Of-The-Valley-And-Surrounding-Hills"
LONG_URL = "https://example.org/" + "a-very-long-path-segment-without-spaces" * 4
LONG_PLACE = "TheCommunityCenterOfTheGreaterMetropolitanValleyAndSurroundingHillsAnnex"


@pytest.fixture
def long_meeting(make_meeting: Callable[..., Meeting]) -> Meeting:
    for n in range(55):  # three pages of results: page 2 has Previous and Next
        make_meeting(name=f"Group {n}", latitude=40.7465, longitude=-73.9990)
    return make_meeting(
        name=LONG_NAME,
        latitude=40.7470,
        longitude=-73.9980,
        day=1,
        notes=f"Directions and literature: {LONG_URL}",
        location_name=LONG_PLACE,
        location_notes=LONG_URL,
        formatted_address=f"1 {LONG_PLACE} Street, New York, NY 10001, USA",
        conference_url=LONG_URL,
        conference_url_notes=f"Passcode at {LONG_URL}",
        conference_phone="+1 212-555-0100,,81234567890#",
        types=["O", "ST", "D", "LIT", "X", "BE"],
    )


def page_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


@pytest.mark.parametrize("width", [320, 390])
def test_long_words_wrap_instead_of_widening_the_page(
    page: Page, live_server: str, long_meeting: Meeting, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    for path in (
        "/meetings?near=10001&sort=distance",
        f"/meetings/{long_meeting.slug}",
        f"/meetings/{long_meeting.slug}?lang=es",  # "Llamar por teléfono: +1 212-555-0100"
        "/meetings?near=10001&page=2",
    ):
        page.goto(live_server + path)
        assert page_width(page) <= width, f"{path} is {page_width(page)}px wide at {width}px"
        for card in page.locator(".card").all()[:3]:
            box = card.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, path
    # The Save button stays whole, beside the long title.
    save = page.get_by_role("button", name=f"Save {LONG_NAME}")
    page.goto(live_server + f"/meetings/{long_meeting.slug}?lang=en")
    box = save.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("width", [320, 390])
def test_the_dial_in_button_reads_with_its_space(
    page: Page, live_server: str, long_meeting: Meeting, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server + f"/meetings/{long_meeting.slug}")
    call = page.locator('a.button[href^="tel:"]')
    assert call.inner_text() == "Call in: +1 212-555-0100"  # not "Call in:" and a new line
    page.goto(live_server + f"/meetings/{long_meeting.slug}?lang=es")
    assert " ".join(call.inner_text().split()) == "Llamar por teléfono: +1 212-555-0100"
    assert page_width(page) <= width


def test_filters_can_be_sent_without_scrolling_past_them(
    page: Page, live_server: str, long_meeting: Meeting
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/meetings?near=10001")
    page.get_by_text("Change search").click()  # results fold the search away
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Evening").check()
    show = page.get_by_role("button", name="Show meetings")
    expect(show).to_be_in_viewport()
    box = show.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 640
    types = page.get_by_label("Step Study")
    expect(types).to_be_hidden()  # the long list of types is folded away
    show.click()
    page.wait_for_url("**time=evening**")
    expect(page.get_by_text("Change search (1 on)")).to_be_visible()


def test_pagination_fits_on_one_line_per_control(
    page: Page, live_server: str, long_meeting: Meeting
) -> None:
    page.set_viewport_size({"width": 320, "height": 844})
    page.goto(live_server + "/meetings?near=10001&page=2")
    expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    for name in ("← Previous", "Next →"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert box is not None and box["height"] < 50, f"{name} wraps"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320


def test_use_my_location_puts_only_a_rounded_position_in_the_url(
    page: Page, live_server: str, long_meeting: Meeting
) -> None:
    page.goto(live_server + "/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url("**/meetings?**")
    assert "lat=40.748&lng=-73.997" in page.url  # the device said 40.7484, -73.9967
    assert "40.7484" not in page.content()
