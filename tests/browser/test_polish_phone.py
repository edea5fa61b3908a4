"""Phone polish (issue 12) in a real browser at 320x640 and 390x844: what a person sees and taps."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

import finder.search
from finder.models import Meeting
from tests.browser.test_phone import no_horizontal_scroll, serious_violations

SMALL = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
# Tuesday 3 June 2025, 10:30 pm in New York: nothing left today.
LATE = dt.datetime(2025, 6, 4, 2, 30, tzinfo=dt.UTC)
MONDAY_EVENING = dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC)  # 6:00 pm in New York
# Buttons and links that stand alone: at least 44 px tall. Every other link: at least 24 px.
STANDALONE = (
    "button, summary, .button, .brand, nav a, .back-link, .quick-links a, .suggestions a, "
    ".choices a, .link-list a"
)
TARGETS_JS = """(standalone) => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.bottom > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, summary")) {
    if (!shown(el)) continue;
    const need = el.matches(standalone) ? 44 : 24;
    const height = el.getBoundingClientRect().height;
    if (height < need - 0.5) small.push(`${el.textContent.trim()}: ${Math.round(height)}px`);
  }
  return small;
}"""
SHIFT_JS = """() => {
  window.__shift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) window.__shift += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
}"""


@pytest.fixture
def meetings(
    make_meeting: Callable[..., Meeting], monkeypatch: pytest.MonkeyPatch
) -> list[Meeting]:
    # A Monday evening in New York, an hour before the hybrid meeting: soonest first, it leads
    # the list whatever the real clock says (after 8 pm on a Monday it fell to page 2).
    monkeypatch.setattr(finder.search, "now_utc", lambda: MONDAY_EVENING)
    found = [
        make_meeting(
            name=f"Chelsea Group {n}",
            latitude=40.7465,
            longitude=-73.9990,
            day=n % 7,
            time=dt.time(7 + n % 12, 0),
            location_name="Church of the Holy Apostles, Parish Hall",
            types=["O", "D", "BE", "X"],
        )
        for n in range(30)
    ]
    found.append(
        make_meeting(
            name="Hybrid Step Study",
            latitude=40.7510,
            longitude=-73.9930,
            conference_url="https://zoom.us/j/123456789",
            conference_url_notes="Passcode 4242",
            conference_phone="+16465588656,,123456789#",
            types=["C", "ST"],
        )
    )
    return found


def small_targets(page: Page) -> list[str]:
    result: list[str] = page.evaluate(TARGETS_JS, STANDALONE)
    return result


def top(page: Page, selector: str, index: int = 0) -> float:
    box = page.locator(selector).nth(index).bounding_box()
    assert box is not None, selector
    return float(box["y"])


# --- 1. results above the fold ------------------------------------------------------------


def test_at_320x640_the_first_meeting_starts_in_the_top_half(
    page: Page, live_server: str, meetings: list[Meeting]
) -> None:
    page.set_viewport_size(SMALL)
    page.goto(live_server + "/meetings?near=10001")
    expect(page.get_by_role("heading", level=1)).to_contain_text("meetings within 10 mi of")
    assert top(page, ".card") < SMALL["height"] / 2
    expect(page.get_by_label("ZIP, city or address")).to_be_hidden()  # folded away
    page.get_by_text("Change search").click()
    expect(page.get_by_label("ZIP, city or address")).to_have_value("10001")


def test_at_390x844_the_first_two_meetings_are_on_the_first_screen(
    page: Page, live_server: str, meetings: list[Meeting]
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/meetings?near=10001")
    assert top(page, ".card", 1) < PHONE["height"]


def test_without_javascript_the_folded_search_still_opens_and_searches(
    browser: Browser, live_server: str, meetings: list[Meeting]
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=SMALL)
    page = context.new_page()
    page.goto(live_server + "/meetings?near=Boston")
    page.get_by_text("Change search").click()
    page.get_by_label("ZIP, city or address").fill("10001")
    page.get_by_role("button", name="Find meetings").click()
    expect(page.get_by_role("link", name="Hybrid Step Study")).to_be_visible()
    context.close()


# --- 8. tap targets, crisis numbers, the way back -----------------------------------------


@pytest.mark.parametrize("size", [SMALL, PHONE], ids=["320", "390"])
def test_every_tap_target_is_big_enough(
    page: Page, live_server: str, meetings: list[Meeting], size: dict[str, int]
) -> None:
    page.set_viewport_size(size)
    hybrid = meetings[-1]
    page.goto(live_server + f"/meetings/{hybrid.slug}")
    page.get_by_role("button", name="Save Hybrid Step Study to my meetings").click()
    for path in (
        "/",
        "/meetings?near=10001",
        "/meetings?near=Springfield",
        f"/meetings/{hybrid.slug}",
        "/me/favorites",
        "/login",
        "/register",
    ):
        page.goto(live_server + path)
        assert small_targets(page) == [], path


def test_crisis_numbers_never_break(page: Page, live_server: str) -> None:
    page.set_viewport_size(SMALL)
    page.goto(live_server + "/")
    numbers = page.locator('a[href^="tel:"]')
    expect(numbers).to_have_count(2)
    page.evaluate("document.documentElement.style.fontSize = '150%'")
    for n in range(2):
        number = numbers.nth(n)
        assert number.evaluate("(el) => getComputedStyle(el).whiteSpace") == "nowrap"
        assert number.evaluate("(el) => el.getClientRects().length") == 1, number.text_content()


def test_find_another_meeting_goes_back_to_the_results(
    page: Page, live_server: str, meetings: list[Meeting]
) -> None:
    page.set_viewport_size(SMALL)
    results = live_server + "/meetings?near=10001&day=any&attendance=hybrid"
    page.goto(results)
    page.get_by_role("link", name="Hybrid Step Study").click()
    page.wait_for_url("**/meetings/*")
    page.get_by_role("link", name="← Find another meeting").click()
    page.wait_for_url("**/meetings?**")
    assert "near=10001" in page.url and "attendance=hybrid" in page.url
    expect(page.get_by_role("link", name="Hybrid Step Study")).to_be_visible()


# --- 9. a calm message when location is off -----------------------------------------------


def test_location_denied_is_calm_and_says_what_to_type(
    browser: Browser, browser_context_args: dict[str, Any], live_server: str
) -> None:
    args = {k: v for k, v in browser_context_args.items() if k not in ("permissions",)}
    context = browser.new_context(**args)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_role("button", name="Use my location").click()
    status = page.locator("[data-locate-status]")
    expect(status).to_contain_text("type a ZIP code, a city or an address")
    style = status.evaluate("(el) => [getComputedStyle(el).color, getComputedStyle(el).fontWeight]")
    assert style == ["rgb(27, 27, 31)", "400"]  # the body text colour, not bold red
    context.close()


# --- 10. saving without JavaScript keeps your place ---------------------------------------


def test_saving_without_javascript_comes_back_to_the_same_card(
    browser: Browser, live_server: str, meetings: list[Meeting]
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=SMALL)
    page = context.new_page()
    page.goto(live_server + "/meetings?near=10001")
    card = page.locator(".card").nth(9)
    name = card.locator(".card-title").inner_text()
    card.get_by_role("button", name=f"Save {name} to my meetings").click()
    page.wait_for_url("**#save-*")
    saved = page.get_by_role("button", name=f"Saved: remove {name} from my meetings")
    expect(saved).to_be_in_viewport()
    context.close()


# --- 11. desktop button, skip link at 200 % text ------------------------------------------


def test_on_a_desktop_the_search_button_is_no_wider_than_the_field(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server + "/")
    field = page.get_by_label("ZIP, city or address").bounding_box()
    button = page.get_by_role("button", name="Find meetings").bounding_box()
    assert field is not None and button is not None
    assert button["width"] <= field["width"]
    assert abs(button["y"] - field["y"]) < 1  # side by side


@pytest.mark.parametrize("width", [320, 1280])
def test_at_200_percent_text_the_skip_link_hides_until_focused(
    page: Page, live_server: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server + "/meetings?near=10001")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    skip = page.get_by_role("link", name="Skip to main content")
    box = skip.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 0
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0
    expect(skip).to_be_in_viewport()


# --- 12. nothing moves; 13. no redirect -----------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/meetings?near=10001", "/meetings?near=Nowhere+Town"])
def test_nothing_moves_when_the_script_shows_use_my_location(
    page: Page, live_server: str, meetings: list[Meeting], path: str
) -> None:
    page.set_viewport_size(SMALL)
    page.add_init_script(script=f"({SHIFT_JS})()")

    def slow_script(route: Route) -> None:
        time.sleep(0.6)  # as on slow 3G: the page is painted before the script runs
        route.continue_()

    page.route("**/static/app.js*", slow_script)
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # let the observer report
    assert page.evaluate("window.__shift") == 0


def test_use_my_location_goes_straight_to_the_results(
    page: Page, live_server: str, meetings: list[Meeting]
) -> None:
    redirects: list[str] = []
    page.on(
        "response",
        lambda response: redirects.append(response.url) if 300 <= response.status < 400 else None,
    )
    page.goto(live_server + "/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url("**/meetings?**")
    expect(page.get_by_role("link", name="Hybrid Step Study")).to_be_visible()
    page.get_by_role("link", name="Nearest").click()
    page.wait_for_url("**sort=distance**")
    assert "lat=40.748&lng=-73.997" in page.url
    assert redirects == []


# --- axe and fit, including the new states ------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, PHONE], ids=["320", "390"])
def test_new_states_fit_and_pass_axe(
    page: Page,
    live_server: str,
    meetings: list[Meeting],
    size: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(finder.search, "now_utc", lambda: LATE)
    page.set_viewport_size(size)
    hybrid = meetings[-1]
    page.goto(live_server + f"/meetings/{hybrid.slug}")
    page.get_by_role("button", name="Save Hybrid Step Study to my meetings").click()
    expect(page.get_by_role("button", name="Saved: remove Hybrid Step Study from my meetings"))
    for path in (
        "/meetings?near=10001&day=today",  # late at night: tomorrow's first meetings
        "/meetings?near=Springfield",
        f"/meetings/{hybrid.slug}",
        "/me/favorites",
    ):
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        no_horizontal_scroll(page)
        assert serious_violations(page) == [], path
    page.goto(live_server + "/meetings?near=10001&day=today")
    expect(page.get_by_role("heading", name="No more meetings today")).to_be_visible()
    page.get_by_text("Change search").click()
    assert serious_violations(page) == []


WORDS_SPLIT_JS = """() => {
  const split = [];
  for (const link of document.querySelectorAll(".card-title a")) {
    const text = link.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    for (const match of text.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def test_meeting_names_in_a_panel_do_not_break_inside_words_at_320(
    page: Page,
    live_server: str,
    make_meeting: Callable[..., Meeting],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Late at night "No more meetings today" shows tomorrow's first in a padded panel,
    # where the Spanish star ("Guardar") left a name about 90 px.
    monkeypatch.setattr(finder.search, "now_utc", lambda: LATE)
    for name in ("Candlelight", "Grapevine Step Study", "Serenity Seekers"):
        make_meeting(name=name, day=3, time=dt.time(21, 0), latitude=40.7465, longitude=-73.999)
    page.set_viewport_size(SMALL)
    page.goto(live_server + "/meetings?near=10001&day=today&lang=es")
    expect(page.get_by_role("heading", name="No hay más reuniones hoy")).to_be_visible()
    assert page.evaluate(WORDS_SPLIT_JS) == []
    page.goto(live_server + "/meetings?near=10001&lang=es")  # plain cards keep the star beside
    head = page.locator(".card-head").first
    title, star = head.locator(".card-title"), head.locator(".meeting-actions")
    assert title.bounding_box()["y"] == star.bounding_box()["y"]  # type: ignore[index]
