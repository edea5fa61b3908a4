"""Accounts on a phone, JavaScript and CSRF on: star, register, date, export, delete."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.models import Meeting
from tests.accounts_support import PASSWORD, days_ago
from tests.browser.test_phone import no_horizontal_scroll, serious_violations


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
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")  # updated in place
    assert "/meetings?near=10001" in page.url

    page.get_by_role("link", name="Register").click()
    page.get_by_label("Username").fill("phone-person")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("We added 1 starred meeting")).to_be_visible()
    no_horizontal_scroll(page)

    page.get_by_role("link", name="My meetings").first.click()
    expect(page.get_by_role("heading", name="Chelsea Early Birds")).to_have_count(1)
    assert serious_violations(page) == []

    page.get_by_role("link", name="Sobriety").click()
    page.get_by_label("What it's for (optional)").fill("Alcohol")
    page.get_by_label("Date", exact=True).fill(days_ago(100))
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
    assert data["sobriety_dates"][0]["date"] == days_ago(100)
    assert len(data["favorites"]) == 1

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("path", ["/register", "/login", "/me/favorites"])
def test_account_pages_fit_and_pass_axe(
    page: Page, live_server: str, meetings: list[Meeting], path: str
) -> None:
    page.goto(live_server + path)
    no_horizontal_scroll(page)
    assert serious_violations(page) == []
