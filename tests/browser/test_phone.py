"""What a person on a phone sees: location search, no sideways scrolling, accessibility."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from finder.models import Meeting

SERIOUS = {"serious", "critical"}


@pytest.fixture
def meetings(make_meeting: Callable[..., Meeting]) -> list[Meeting]:
    near = [
        make_meeting(
            name="Chelsea Early Birds",
            latitude=40.7465,
            longitude=-73.9990,
            types=["O", "BE"],
            day=day,
        )
        for day in range(7)
    ]
    near.append(
        make_meeting(
            name="Hybrid Step Study",
            latitude=40.7510,
            longitude=-73.9930,
            conference_url="https://zoom.us/j/123456789",
            types=["C", "ST"],
        )
    )
    make_meeting(name="Far Away Group", latitude=34.05, longitude=-118.24)
    return near


def no_horizontal_scroll(page: Page) -> None:
    """The page fits the phone's width. Measured against the width the test set, not
    window.innerWidth: a phone's browser widens its layout viewport to fit a page that
    overflows, and the page would then always seem to fit."""
    width = page.evaluate("document.documentElement.scrollWidth")
    set_width = page.viewport_size["width"] if page.viewport_size else None
    viewport = set_width or page.evaluate("window.innerWidth")
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    result = Axe().run(page)
    violations: list[dict[str, Any]] = result.response["violations"]
    return [v for v in violations if v.get("impact") in SERIOUS]


def test_use_my_location_leads_to_nearby_results(
    page: Page, live_server: str, meetings: list[Meeting]
) -> None:
    page.goto(live_server + "/")
    button = page.get_by_role("button", name="Use my location")
    expect(button).to_be_visible()
    button.click()
    page.wait_for_url("**/meetings?**")
    assert "name=" not in page.url  # an empty name box stays out of a link people share
    expect(page.get_by_role("link", name="Chelsea Early Birds").first).to_be_visible()
    expect(page.get_by_role("link", name="Hybrid Step Study", exact=True)).to_be_visible()
    expect(page.get_by_text("Far Away Group")).to_have_count(0)
    # The phone that located itself reads "your location"...
    expect(page.get_by_role("heading", level=1)).to_contain_text("of your location")
    assert page.title().startswith("Meetings near your location")
    # ...and whoever it sends the link to, "a shared location".
    other = page.context.browser.new_page()  # type: ignore[union-attr]
    other.goto(page.url)
    expect(other.get_by_role("heading", level=1)).to_contain_text("of a shared location")
    assert other.title().startswith("Meetings near a shared location")
    other.close()


def test_typed_zip_search_finds_meetings(
    page: Page, live_server: str, meetings: list[Meeting]
) -> None:
    page.goto(live_server + "/")
    page.get_by_label("ZIP, city or address").fill("10001")
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings?**")
    assert "name=" not in page.url
    expect(page.get_by_role("link", name="Chelsea Early Birds").first).to_be_visible()


@pytest.mark.parametrize("width", [390, 320])
def test_pages_fit_the_phone_screen_and_pass_axe(
    page: Page, live_server: str, meetings: list[Meeting], width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    for path in ("/", "/meetings?near=10001", f"/meetings/{meetings[-1].slug}"):
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        no_horizontal_scroll(page)
        assert serious_violations(page) == [], path


def test_no_request_leaves_the_server(
    page: Page, live_server: str, meetings: list[Meeting]
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server, "data:"))
            else None
        ),
    )
    for path in ("/", "/meetings?near=10001", f"/meetings/{meetings[0].slug}"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
    assert outside == []


def test_results_work_without_javascript(
    browser: Any, live_server: str, meetings: list[Meeting]
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + "/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("ZIP, city or address").fill("10001")
    page.get_by_role("button", name="Find meetings").click()
    expect(page.get_by_role("link", name="Chelsea Early Birds").first).to_be_visible()
    context.close()
