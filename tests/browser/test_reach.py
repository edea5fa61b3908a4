"""Reach on a phone: /help from every page, Spanish, installable, and pages that open offline."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy.exc import OperationalError

import finder.search
from finder.models import Meeting
from tests.accounts_support import PASSWORD
from tests.browser.test_phone import no_horizontal_scroll, serious_violations


@pytest.fixture
def meeting(make_meeting: Callable[..., Meeting]) -> Meeting:
    return make_meeting(slug="chelsea-early-birds", name="Chelsea Early Birds", types=["O", "BE"])


@pytest.fixture
def spanish(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A phone whose browser asks for Spanish (Accept-Language: es-US)."""
    context = browser.new_context(**{**browser_context_args, "locale": "es-US"})
    yield context.new_page()
    context.close()


def test_help_is_one_tap_from_every_page(page: Page, live_server: str, meeting: Meeting) -> None:
    for path in ("/", "/meetings?near=10001", f"/meetings/{meeting.slug}", "/login"):
        page.goto(live_server + path)
        page.get_by_role("link", name="Need help now?").first.click()
        page.wait_for_url("**/help")
        expect(page.get_by_role("heading", level=1, name="Need help now?")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(page.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    call = page.get_by_role("link", name="Call 1-800-662-4357")
    expect(call).to_have_attribute("href", "tel:+18006624357")
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44


@pytest.mark.parametrize("width", [390, 320])
def test_help_fits_the_phone_and_passes_axe(page: Page, live_server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 640 if width == 320 else 844})
    page.goto(live_server + "/help")
    no_horizontal_scroll(page)
    # No phone number is split over two lines.
    heights = page.eval_on_selector_all(".nowrap", "els => els.map(e => e.getClientRects().length)")
    assert heights and all(rects == 1 for rects in heights)
    assert serious_violations(page) == []


def test_spanish_from_the_browser_language(spanish: Page, live_server: str) -> None:
    spanish.goto(live_server + "/help")
    expect(spanish.locator("html")).to_have_attribute("lang", "es")
    expect(spanish.get_by_role("heading", level=1, name="¿Necesita ayuda ahora?")).to_be_visible()
    expect(spanish.get_by_role("link", name="Llamar al 988")).to_be_visible()
    no_horizontal_scroll(spanish)
    assert serious_violations(spanish) == []
    spanish.goto(live_server + "/")
    assert serious_violations(spanish) == []


def test_spanish_by_the_switch_is_remembered(
    page: Page, live_server: str, meeting: Meeting
) -> None:
    page.goto(live_server + f"/meetings/{meeting.slug}")
    page.get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Principiantes", exact=True)).to_be_visible()
    page.get_by_role("link", name="¿Necesita ayuda ahora?").click()
    page.wait_for_url("**/help")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert serious_violations(page) == []
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1, name="Need help now?")).to_be_visible()


def test_manifest_is_valid(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    assert href
    response = page.request.get(live_server + href)
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["name"] and manifest["theme_color"] and manifest["background_color"]
    sizes = set()
    for icon in manifest["icons"]:
        image = page.request.get(live_server + icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


def saved_copy(page: Page, path: str) -> str | None:
    """The service worker's saved copy of path, or None."""
    body: str | None = page.evaluate(
        """async (path) => {
            const cache = await caches.open("finder-pages");
            const saved = await cache.match(location.origin + path);
            return saved ? await saved.text() : null;
        }""",
        path,
    )
    return body


def wait_until_saved_with(page: Page, path: str, words: str = "", present: bool = True) -> None:
    """Wait until a saved copy of path holds words (present=False: until none does).

    Polled from here: wait_for_function takes an async predicate's promise as true at once.
    """
    deadline = time.monotonic() + 15
    while True:
        body = saved_copy(page, path)
        if (body is not None and words in body) == present:
            return
        assert time.monotonic() < deadline, f"saved copy of {path}: {words!r} {present=}"
        page.wait_for_timeout(200)


def wait_until_saved(page: Page, path: str) -> None:
    wait_until_saved_with(page, path)


def test_a_star_tapped_online_shows_in_my_meetings_offline(
    page: Page, context: BrowserContext, live_server: str, meeting: Meeting
) -> None:
    meeting_path = f"/meetings/{meeting.slug}"
    page.goto(live_server + "/")  # a fresh phone: the worker keeps an empty My meetings
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until_saved_with(page, "/me/favorites", "No saved meetings yet")
    page.goto(live_server + meeting_path)
    wait_until_saved(page, meeting_path)
    star = page.locator("form[data-favorite-form] button").first
    star.click()
    expect(star).to_have_text("Saved")
    wait_until_saved_with(page, "/me/favorites", "No saved meetings yet", present=False)
    wait_until_saved_with(page, meeting_path, 'aria-pressed="true"')

    context.set_offline(True)
    page.goto(live_server + "/me/favorites")
    expect(page.get_by_text("Saved copy from")).to_be_visible()
    expect(page.get_by_text("No saved meetings yet")).to_have_count(0)
    expect(page.get_by_text("Chelsea Early Birds").first).to_be_visible()
    page.goto(live_server + meeting_path)
    expect(page.get_by_text("Saved copy from")).to_be_visible()
    expect(page.locator("form[data-favorite-form] button").first).to_have_text("Saved")
    context.set_offline(False)


def register_and_save(page: Page, live_server: str, username: str, meeting: Meeting) -> None:
    """A new account on this phone, with the meeting saved from its page."""
    page.goto(live_server + "/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.goto(live_server + f"/meetings/{meeting.slug}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    star = page.locator("form[data-favorite-form] button").first
    star.click()
    expect(star).to_have_text("Saved")


def test_deleting_the_account_forgets_the_saved_private_pages(
    page: Page, context: BrowserContext, live_server: str, meeting: Meeting
) -> None:
    register_and_save(page, live_server, "leaving-person", meeting)
    page.goto(live_server + "/me/favorites")
    page.get_by_role("button", name="Make a calendar address").click()
    expect(page.locator("[data-calendar-url]")).to_be_visible()
    page.goto(live_server + "/me/favorites")  # the private calendar address, kept
    wait_until_saved_with(page, "/me/favorites", "data-calendar-url")

    page.goto(live_server + "/me/delete")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()
    wait_until_saved_with(page, "/me/favorites", "data-calendar-url", present=False)

    context.set_offline(True)
    page.goto(live_server + "/me/favorites")
    expect(page.locator("[data-calendar-url]")).to_have_count(0)
    expect(page.get_by_text("Chelsea Early Birds")).to_have_count(0)
    context.set_offline(False)


def test_a_password_changed_on_another_phone_forgets_this_phones_saved_pages(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: str,
    meeting: Meeting,
) -> None:
    """A lost or shared phone: its owner changes the password elsewhere, and this phone's
    saved My meetings goes as soon as it next opens a page online."""
    register_and_save(page, live_server, "two-phones", meeting)
    page.goto(live_server + "/me/favorites")
    wait_until_saved_with(page, "/me/favorites", "Chelsea Early Birds")
    page.goto(live_server + "/help")  # made without reading the account: nothing forgotten
    page.goto(live_server + "/me/favorites")
    wait_until_saved_with(page, "/me/favorites", "Chelsea Early Birds")

    other = browser.new_context(**browser_context_args)
    elsewhere = other.new_page()
    elsewhere.goto(live_server + "/login")
    elsewhere.get_by_label("Username").fill("two-phones")
    elsewhere.get_by_label("Password").fill(PASSWORD)
    elsewhere.get_by_role("button", name="Log in").click()
    elsewhere.goto(live_server + "/me/password")
    elsewhere.get_by_label("Current password").fill(PASSWORD)
    elsewhere.get_by_label("New password", exact=True).fill("a whole new phrase")
    elsewhere.get_by_label("New password again").fill("a whole new phrase")
    elsewhere.get_by_role("button", name="Change password").click()
    expect(elsewhere.get_by_text("You are logged out everywhere else.")).to_be_visible()
    other.close()

    page.goto(live_server + "/")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    wait_until_saved_with(page, "/me/favorites", "Chelsea Early Birds", present=False)
    context.set_offline(True)
    page.goto(live_server + "/me/favorites")
    expect(page.get_by_text("Chelsea Early Birds")).to_have_count(0)
    context.set_offline(False)


def test_help_and_a_visited_meeting_open_offline(
    page: Page, context: BrowserContext, live_server: str, meeting: Meeting
) -> None:
    meeting_path = f"/meetings/{meeting.slug}"
    page.goto(live_server + meeting_path)  # the first visit installs the worker
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until_saved(page, meeting_path)
    wait_until_saved(page, "/help")
    wait_until_saved(page, "/me/favorites")
    expect(page.locator("[data-saved-copy]")).to_be_hidden()  # online: the live page

    context.set_offline(True)
    page.goto(live_server + "/help")
    expect(page.get_by_role("heading", level=1, name="Need help now?")).to_be_visible()
    expect(page.get_by_text("Saved copy from")).to_be_visible()
    expect(page.get_by_text("times may have changed")).to_be_visible()

    page.goto(live_server + meeting_path)
    expect(page.get_by_role("heading", level=1, name="Chelsea Early Birds")).to_be_visible()
    expect(page.get_by_text("Saved copy from")).to_be_visible()
    no_horizontal_scroll(page)

    page.goto(live_server + "/me/favorites")  # kept when the worker was installed
    expect(page.get_by_role("heading", level=1, name="My meetings")).to_be_visible()
    expect(page.get_by_text("Saved copy from")).to_be_visible()

    # A search needs the network, and says so.
    page.goto(live_server + "/meetings?near=10001")
    expect(page.get_by_role("heading", level=1, name="You're offline")).to_be_visible()
    expect(page.get_by_role("link", name="Chelsea Early Birds")).to_be_visible()
    page.goto(live_server + "/")
    page.get_by_label("ZIP, city or address").fill("10001")
    page.get_by_role("button", name="Find meetings").click()
    expect(page.get_by_text("Searching for meetings needs an internet connection")).to_be_visible()
    # A meeting link this phone never opened (a sponsor's text): it says just that.
    page.goto(live_server + "/meetings/a-meeting-never-opened-here")
    expect(page.get_by_text("This meeting's page is not saved on this device yet")).to_be_visible()
    expect(page.locator("[data-offline-search]")).to_be_hidden()
    context.set_offline(False)


def test_a_saved_copy_says_no_today_or_starts_in_that_may_be_days_old(
    page: Page,
    context: BrowserContext,
    live_server: str,
    meeting: Meeting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Saved on a Monday at noon in New York; read offline any later day.
    monday_noon = dt.datetime(2025, 11, 24, 17, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(finder.search, "now_utc", lambda: monday_noon)
    meeting_path = f"/meetings/{meeting.slug}"  # Mondays at 7:00 pm
    page.goto(live_server + meeting_path)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.locator("form[data-favorite-form] button").first.click()
    wait_until_saved_with(page, meeting_path, 'aria-pressed="true"')
    wait_until_saved_with(page, "/me/favorites", "Chelsea Early Birds")
    expect(page.get_by_text("Next: today at 7:00 pm")).to_be_visible()  # online: the live page

    context.set_offline(True)
    page.goto(live_server + meeting_path)
    expect(page.get_by_text("Saved copy from")).to_be_visible()
    expect(page.get_by_text("Mondays, 7:00 pm – 8:00 pm")).to_be_visible()
    expect(page.get_by_text("Next: today")).to_be_hidden()
    expect(page.get_by_text("starts in 7 h")).to_be_hidden()
    page.goto(live_server + "/me/favorites")
    expect(page.get_by_text("Saved copy from")).to_be_visible()
    assert page.locator(".when").inner_text().strip() == "Monday at 7:00 pm EST"  # not "Today"
    context.set_offline(False)


def test_a_shared_list_opens_offline_without_its_secret_edit_link(
    page: Page, context: BrowserContext, live_server: str, meeting: Meeting
) -> None:
    page.goto(live_server + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until_saved(page, "/help")
    page.goto(f"{live_server}/lists/new?slug={meeting.slug}")
    page.get_by_label("Title").fill("Your first week")
    page.get_by_role("button", name="Make the list").click()
    expect(page.get_by_text("Keep this private link")).to_be_visible()  # shown once, no-store
    list_path = re.sub(r"^https?://[^/]+", "", page.url)
    page.goto(live_server + "/help")
    page.wait_for_timeout(1000)  # time enough for the worker to have saved it, had it
    assert saved_copy(page, list_path) is None  # the copy with the edit link is never kept

    page.goto(live_server + list_path)  # the link as the sponsee opens it
    wait_until_saved_with(page, list_path, "Chelsea Early Birds")
    context.set_offline(True)
    page.goto(live_server + list_path)
    expect(page.get_by_role("heading", level=1, name="Your first week")).to_be_visible()
    expect(page.get_by_text("Saved copy from")).to_be_visible()
    expect(page.get_by_role("link", name="Chelsea Early Birds")).to_be_visible()
    assert "/edit/" not in page.content()
    page.goto(live_server + "/meetings?near=10001")  # the offline page links it too
    expect(page.get_by_role("link", name="Your first week")).to_be_visible()
    context.set_offline(False)


def test_online_meetings_show_on_the_phones_clock(
    browser: Browser, browser_context_args: dict[str, Any], live_server: str, make_meeting: Any
) -> None:
    make_meeting(
        name="Tokyo Morning",
        day=2,
        time=dt.time(9),
        latitude=35.68,
        longitude=139.69,
        conference_url="https://meet.example.com/demo/1",
        approximate=True,
    )
    context = browser.new_context(**{**browser_context_args, "timezone_id": "America/Chicago"})
    page = context.new_page()
    page.goto(live_server + "/meetings?attendance=online")  # the first page: no cookie yet
    expect(page.get_by_text("Times are in your time zone, US Central (Chicago)")).to_be_visible()
    expect(page.get_by_text("JST where the meeting is held")).to_be_visible()
    assert re.search(r"C[SD]T$", page.locator(".when .time").inner_text())
    no_horizontal_scroll(page)
    context.close()


def test_any_first_page_learns_the_devices_zone_for_the_next_search(
    browser: Browser, browser_context_args: dict[str, Any], live_server: str
) -> None:
    # On pages without a list to fix, the zone is read once the page is idle.
    context = browser.new_context(**{**browser_context_args, "timezone_id": "America/Chicago"})
    page = context.new_page()
    page.goto(live_server + "/")

    def zone_cookie() -> str | None:
        return next((c["value"] for c in context.cookies() if c["name"] == "tz"), None)

    deadline = time.monotonic() + 10  # polled from here: the page's CSP refuses eval
    while zone_cookie() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert zone_cookie() == "America/Chicago"
    context.close()


def test_a_saved_meeting_stands_in_when_the_server_fails(
    page: Page, app: Flask, live_server: str, meeting: Meeting
) -> None:
    meeting_path = f"/meetings/{meeting.slug}"
    page.goto(live_server + meeting_path)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until_saved(page, meeting_path)

    def database_down() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.extensions["finder.sessionmaker"] = database_down
    page.goto(live_server + meeting_path)
    expect(page.get_by_role("heading", level=1, name="Chelsea Early Birds")).to_be_visible()
    expect(page.get_by_text("Saved copy from")).to_be_visible()
