"""Accounts on a phone, JavaScript and CSRF on: star, register, date, export, delete."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.accounts import sobriety
from finder.accounts.models import SobrietyDate, User
from finder.models import Meeting
from tests.accounts_support import PASSWORD, days_ago
from tests.browser.test_phone import no_horizontal_scroll, serious_violations

NEW_YORK = "America/New_York"  # the zone of the phone in browser_context_args


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def meetings(make_meeting: Callable[..., Meeting]) -> list[Meeting]:
    return [
        make_meeting(name="Chelsea Early Birds", latitude=40.7465, longitude=-73.9990, day=day)
        for day in (1, 4)
    ]


def test_a_new_person_on_a_phone_stars_registers_counts_exports_and_leaves(
    page: Page, live_server: str, meetings: list[Meeting], session: Session
) -> None:
    page.goto(live_server + "/meetings?near=10001")
    star = page.locator("form[data-favorite-form] button").first
    expect(star).to_have_attribute("aria-pressed", "false")
    expect(star).to_have_accessible_name("Save Chelsea Early Birds to my meetings")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")  # updated in place
    expect(star).to_have_text("Saved")
    expect(star).to_have_accessible_name("Saved: remove Chelsea Early Birds from my meetings")
    assert "/meetings?near=10001" in page.url

    page.get_by_role("link", name="Register").click()
    page.get_by_label("Username").fill("phone-person")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    expect(page.get_by_label("Your time zone")).to_have_value(NEW_YORK)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("We added 1 starred meeting")).to_be_visible()
    no_horizontal_scroll(page)

    page.get_by_role("link", name="My meetings").first.click()
    expect(page.get_by_role("heading", name="Chelsea Early Birds")).to_have_count(1)
    remove = page.get_by_role("button", name="Saved: remove Chelsea Early Birds from my meetings")
    expect(remove).to_have_attribute("aria-pressed", "true")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Sobriety").click()
    page.get_by_label("What it's for (optional)").fill("Alcohol")
    page.get_by_label("Date", exact=True).fill(days_ago(100, NEW_YORK))
    page.get_by_role("button", name="Save date").click()
    expect(page.get_by_text("100 days", exact=True).first).to_be_visible()
    expect(page.get_by_text("Next: 6 months")).to_be_visible()
    no_horizontal_scroll(page)
    assert serious_violations(page) == []

    page.get_by_role("link", name="Account").click()
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything (JSON)").click()
    data = json.loads(download.value.path().read_text("utf-8"))
    assert data["sobriety_dates"][0]["date"] == days_ago(100, NEW_YORK)
    assert data["account"]["timezone"] == NEW_YORK
    assert len(data["favorites"]) == 1

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(User)) == 0


@pytest.fixture
def los_angeles(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A phone in Los Angeles."""
    context = browser.new_context(**{**browser_context_args, "timezone_id": "America/Los_Angeles"})
    yield context.new_page()
    context.close()


@pytest.fixture
def no_script(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A phone with JavaScript off."""
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    yield context.new_page()
    context.close()


def register_on(page: Page, base: str, username: str) -> None:
    page.goto(base + "/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)


def test_in_los_angeles_at_4pm_today_is_day_one(
    los_angeles: Page, live_server: str, monkeypatch: pytest.MonkeyPatch, session: Session
) -> None:
    page = los_angeles
    # 4:01 pm on November 25 in Los Angeles: already November 26 in UTC.
    monkeypatch.setattr(sobriety, "now_utc", lambda: dt.datetime(2025, 11, 26, 0, 1, tzinfo=dt.UTC))
    register_on(page, live_server, "la-person")
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("America/Los_Angeles")  # from the device
    expect(page.get_by_text("Filled in from your device")).to_be_visible()
    page.get_by_role("button", name="Create account").click()

    page.get_by_role("link", name="Sobriety").click()
    page.get_by_label("Date", exact=True).fill("2025-11-25")
    page.get_by_role("button", name="Save date").click()
    expect(page.get_by_text("Day one", exact=True)).to_be_visible()
    expect(page.get_by_text("Next: 24 hours")).to_be_visible()
    expect(page.get_by_text("on November 26, 2025, tomorrow")).to_be_visible()
    expect(page.get_by_text("Milestones reached")).to_have_count(0)
    expect(page.get_by_text("Counted in your time zone, US Pacific (Los Angeles)")).to_be_visible()
    expect(page.get_by_text("Your device is set to")).to_have_count(0)  # the same zone
    assert session.scalar(select(User.timezone)) == "America/Los_Angeles"
    no_horizontal_scroll(page)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Change or delete Clean and sober").click()
    no_horizontal_scroll(page)
    assert serious_violations(page) == []


def test_an_account_without_a_zone_gets_the_devices_with_its_first_date(
    los_angeles: Page, live_server: str, monkeypatch: pytest.MonkeyPatch, session: Session
) -> None:
    page = los_angeles
    monkeypatch.setattr(sobriety, "now_utc", lambda: dt.datetime(2025, 11, 26, 0, 1, tzinfo=dt.UTC))
    register_on(page, live_server, "older-account")
    page.get_by_role("button", name="Create account").click()
    user = session.scalar(select(User))
    user.timezone, user.timezone_chosen = "UTC", False  # made before registration asked
    session.commit()

    page.goto(live_server + "/me/sobriety")
    zone = page.get_by_role("combobox", name="Your time zone")
    expect(zone).to_have_value("America/Los_Angeles")
    page.get_by_label("Date", exact=True).fill("2025-11-25")
    page.get_by_role("button", name="Save date").click()
    expect(page.get_by_text("Day one", exact=True)).to_be_visible()
    session.expire_all()
    assert session.scalar(select(User.timezone)) == "America/Los_Angeles"


def test_without_javascript_register_type_a_date_and_confirm_its_deletion(
    no_script: Page, live_server: str, session: Session
) -> None:
    page = no_script
    register_on(page, live_server, "no-script")
    expect(page.get_by_label("Your time zone")).to_have_value(NEW_YORK)  # en-US, no device zone
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("link", name="Sobriety").click()
    page.get_by_label("Date", exact=True).fill(days_ago(30, NEW_YORK))
    page.get_by_role("button", name="Save date").click()
    expect(page.get_by_text("30 days", exact=True).first).to_be_visible()

    page.get_by_role("link", name="Change or delete Clean and sober").click()
    delete = page.get_by_role("button", name="Delete “Clean and sober”")
    delete.click()
    expect(page.get_by_text("Tick the box to confirm. Nothing was deleted.")).to_be_visible()
    assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 1
    no_horizontal_scroll(page)
    page.get_by_label("Yes, delete this date and its history").check()
    delete.click()
    expect(page.get_by_text("That date and its private history are deleted.")).to_be_visible()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 0


# Browsers without a date picker treat type=date as text; this makes Chromium report the same.
NO_DATE_PICKER = """
const type = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "type");
Object.defineProperty(HTMLInputElement.prototype, "type", {
  configurable: true,
  get() { const t = type.get.call(this); return t === "date" ? "text" : t; },
  set(value) { type.set.call(this, value); },
});
"""


def test_the_date_format_is_explained_only_where_it_must_be_typed(
    page: Page, live_server: str
) -> None:
    register_on(page, live_server, "date-typer")
    page.get_by_label("Your time zone").select_option("America/Los_Angeles")  # a traveller
    page.get_by_role("button", name="Create account").click()
    page.goto(live_server + "/me/sobriety")
    zone = page.get_by_role("combobox", name="Your time zone")
    expect(zone).to_have_value("America/Los_Angeles")  # the chosen zone is kept
    expect(page.get_by_text("Your device is set to US Eastern (New York).")).to_be_visible()
    date = page.get_by_label("Date", exact=True)
    expect(date).to_have_attribute("type", "date")
    expect(page.get_by_text("year-month-day")).to_have_count(0)  # the picker shows its own

    page.add_init_script(NO_DATE_PICKER)
    page.reload()
    expect(page.get_by_text("Type it as year-month-day, for example 2024-03-15.")).to_be_visible()
    expect(date).to_have_attribute("placeholder", "YYYY-MM-DD")


def test_the_star_goes_back_to_save(page: Page, live_server: str, meetings: list[Meeting]) -> None:
    page.goto(live_server + f"/meetings/{meetings[0].slug}")
    star = page.locator("form[data-favorite-form] button")
    star.click()
    expect(star).to_have_text("Saved")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "false")
    expect(star).to_have_text("Save")
    expect(star).to_have_accessible_name("Save Chelsea Early Birds to my meetings")


@pytest.mark.parametrize("path", ["/register", "/login", "/me/favorites"])
def test_account_pages_fit_and_pass_axe(
    page: Page, live_server: str, meetings: list[Meeting], path: str
) -> None:
    page.goto(live_server + path)
    no_horizontal_scroll(page)
    assert serious_violations(page) == []
