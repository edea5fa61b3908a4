"""An organizer on a phone posts a meeting; an admin approves it; edits show in search at once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.accounts import store
from finder.accounts.models import User
from finder.geocoding import Place
from tests.accounts_support import PASSWORD
from tests.browser.test_phone import no_horizontal_scroll, serious_violations
from tests.conftest import FakeGeocoder

ADDRESS = "346 W 20th St, New York, NY 10011"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True, "SEARCH_INDEX": "sync"}


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_post_approve_find_edit_find_again_and_receive_a_suggestion(
    page: Page, browser: Browser, live_server: str, session: Session, fake_geocoder: FakeGeocoder
) -> None:
    fake_geocoder.places[ADDRESS.lower()] = Place(
        40.7434, -74.0036, "346 West 20th Street, New York, NY 10011, USA"
    )
    for name in ("organizer1", "admin1"):
        store.create_user(session, name, PASSWORD, "America/New_York")
    session.scalars(select(User).where(User.username_key == "admin1")).one().is_admin = True
    session.commit()

    log_in(page, live_server, "organizer1")
    page.goto(live_server + "/organize")
    page.get_by_role("link", name="Post a meeting").click()
    page.get_by_label("Meeting name").fill("Rooftop Hope")
    page.get_by_label("Group").fill("Rooftop Group")
    page.get_by_label("Monday").check()
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("Street address").fill(ADDRESS)
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("Address found:")).to_be_visible()
    expect(page.get_by_text("346 West 20th Street, New York, NY 10011, USA")).to_be_visible()
    expect(page.get_by_text("Eastern Time")).to_be_visible()
    no_horizontal_scroll(page)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("Waiting for an admin to approve this group")).to_be_visible()
    expect(page.get_by_text("Pending", exact=True)).to_be_visible()
    no_horizontal_scroll(page)
    assert serious_violations(page) == []

    stranger = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    stranger.goto(live_server + "/meetings?near=10011")
    expect(stranger.get_by_text("Rooftop Hope")).to_have_count(0)

    admin_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(admin_page, live_server, "admin1")
    admin_page.goto(live_server + "/admin/review")
    no_horizontal_scroll(admin_page)
    assert serious_violations(admin_page) == []
    admin_page.get_by_role("button", name="Approve “Rooftop Group”").click()
    expect(admin_page.get_by_text("its meetings are live")).to_be_visible()

    stranger.goto(live_server + "/meetings?near=10011")
    card = stranger.locator(".card", has_text="Rooftop Hope")
    expect(card).to_contain_text("7:00")

    page.goto(live_server + "/organize")
    page.get_by_role("link", name="Edit Rooftop Hope").click()
    page.get_by_label("Start time").fill("20:15")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("Saved your changes.")).to_be_visible()

    stranger.goto(live_server + "/meetings?near=10011")
    card = stranger.locator(".card", has_text="Rooftop Hope")
    expect(card).to_contain_text("8:15")
    card.get_by_role("link", name="Rooftop Hope").click()
    expect(stranger.get_by_text("Confirmed by the group today.")).to_be_visible()
    stranger.get_by_role("link", name="Suggest a change").click()
    no_horizontal_scroll(stranger)
    assert serious_violations(stranger) == []
    stranger.get_by_label("The place or address").check()
    stranger.get_by_label("Tell the group what you saw").fill("The door is on 20th Street now")
    stranger.get_by_role("button", name="Send suggestion").click()
    expect(stranger.get_by_text("Thank you.")).to_be_visible()

    page.goto(live_server + "/organize")
    page.get_by_role("link", name="Suggestions waiting: 1").click()
    expect(page.get_by_text("The door is on 20th Street now")).to_be_visible()
    no_horizontal_scroll(page)
    assert serious_violations(page) == []


def test_an_invitation_does_not_look_like_an_error(
    page: Page, live_server: str, session: Session, fake_geocoder: FakeGeocoder
) -> None:
    for name in ("organizer1", "helper1"):
        store.create_user(session, name, PASSWORD, "America/New_York")
    session.commit()
    log_in(page, live_server, "organizer1")
    page.goto(live_server + "/organize/meetings/new")
    page.get_by_label("Meeting name").fill("Rooftop Hope")
    page.get_by_label("Group").fill("Rooftop Group")
    page.get_by_label("Monday").check()
    page.get_by_label("Start time").fill("19:00")
    page.get_by_text("Or type the point on the map").click()
    page.get_by_label("Latitude").fill("40.7434")
    page.get_by_label("Longitude").fill("-74.0036")
    page.get_by_role("button", name="Save meeting").click()
    page.get_by_text("Invite another organizer").click()
    page.get_by_label("Username of the person you invite").fill("helper1")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Invitation sent")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "helper1")
    page.goto(live_server + "/organize")
    invitation = page.locator(".alert", has_text="invited you to help organize")
    expect(invitation).to_be_visible()
    error = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--error').trim()"
    )
    assert error == "#b3261e"
    assert invitation.evaluate("el => getComputedStyle(el).borderTopColor") != "rgb(179, 38, 30)"
    assert serious_violations(page) == []


def test_the_reviewer_sees_where_one_meeting_ends_and_the_next_begins(
    page: Page, browser: Browser, live_server: str, session: Session
) -> None:
    for name in ("organizer1", "admin1"):
        store.create_user(session, name, PASSWORD, "America/New_York")
    session.scalars(select(User).where(User.username_key == "admin1")).one().is_admin = True
    session.commit()
    log_in(page, live_server, "organizer1")
    page.goto(live_server + "/organize/meetings/new")
    page.get_by_label("Meeting name").fill("Rooftop Hope")
    page.get_by_label("Group").fill("Rooftop Group")
    page.get_by_label("Monday").check()
    page.get_by_label("Wednesday").check()
    page.get_by_label("Start time").fill("19:00")
    page.get_by_text("Or type the point on the map").click()
    page.get_by_label("Latitude").fill("40.7434")
    page.get_by_label("Longitude").fill("-74.0036")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("Saved 2 meetings.")).to_be_visible()

    admin_page = browser.new_context(viewport={"width": 320, "height": 844}).new_page()
    log_in(admin_page, live_server, "admin1")
    admin_page.goto(live_server + "/admin/review")
    items = admin_page.locator(".review-item .org-meetings > li")
    expect(items).to_have_count(2)
    link = items.nth(0).get_by_role("link", name="See the page").bounding_box()
    second = items.nth(1).locator("strong").first.bounding_box()  # the next meeting's name
    assert link is not None and second is not None
    assert second["y"] - (link["y"] + link["height"]) >= 16
    assert items.nth(1).evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"


def test_the_start_and_end_time_boxes_line_up(
    page: Page, live_server: str, session: Session
) -> None:
    store.create_user(session, "organizer1", PASSWORD, "America/New_York")
    session.commit()
    log_in(page, live_server, "organizer1")
    page.goto(live_server + "/organize/meetings/new")
    start, end = page.get_by_label("Start time"), page.get_by_label("End time")
    for _ in range(2):  # as first shown, then with "Enter the start time" above one box only
        start_box, end_box = start.bounding_box(), end.bounding_box()
        assert start_box is not None and end_box is not None
        assert start_box["x"] < end_box["x"]  # side by side at 390 px
        assert abs(start_box["y"] - end_box["y"]) < 1
        page.get_by_role("button", name="Save meeting").click()
        expect(page.get_by_text("Enter the start time")).to_be_visible()
