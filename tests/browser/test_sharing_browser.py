"""Sharing in a real browser: Share/Copy, and paper: a meeting on one page, results compact."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from finder.models import Meeting
from tests.browser.test_phone import no_horizontal_scroll, serious_violations

LONG_NOTES = (
    "Enter by the side door on Oak Street and take the stairs to the basement. "
    "Coffee from 6:30. Literature table at the back. Newcomers welcome: ask for a "
    "meeting list and a phone list at the door. " * 3
)


@pytest.fixture
def full_meeting(make_meeting: Callable[..., Meeting]) -> Meeting:
    """A meeting with everything a page can show, to fill the paper."""
    meeting = make_meeting(
        name="Tuesday Night Big Book Step Study and Discussion",
        types=["O", "BE", "B", "D", "ST", "X", "W", "LGBTQ"],
        notes=LONG_NOTES,
        location_notes="Parking behind the church; the lot is free after 6 pm.",
        conference_url="https://meet.example.com/j/123456789?pwd=abc",
        conference_phone="+16465550100,,123456789#",
        conference_url_notes="Password 12345",
        group="Chelsea Big Book Group",
        regions=["Manhattan", "Chelsea"],
    )
    for day in range(5):
        make_meeting(name=f"Other meeting {day}", location=meeting.location, day=day)
    return meeting


def pdf_pages(page: Page, paper: str) -> tuple[int, str]:
    pdf = page.pdf(format=paper, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_a_meeting_prints_on_one_page(
    page: Page, live_server: str, full_meeting: Meeting, paper: str
) -> None:
    page.goto(f"{live_server}/meetings/{full_meeting.slug}")
    count, words = pdf_pages(page, paper)
    assert count == 1, f"{count} pages on {paper}"
    assert "Tuesday Night Big Book" in words
    assert "https://meet.example.com/j/123456789?pwd=abc" in words  # the join link written out
    assert f"/meetings/{full_meeting.slug}" in words
    for gone in ("Log in", "My meetings", "starts in", "Share this meeting", "Directions"):
        assert gone not in words, gone
    # The QR code is printed large.
    page.emulate_media(media="print")
    width = page.locator(".qr img").bounding_box()
    assert width is not None and width["width"] > 150


def test_results_print_as_a_compact_list(
    page: Page, live_server: str, make_meeting: Callable[..., Meeting]
) -> None:
    for n in range(12):
        make_meeting(name=f"Meeting number {n}", day=n % 7, time=dt.time(7 + n, 0))
    page.goto(f"{live_server}/meetings?near=40.7484,-73.9967")
    count, words = pdf_pages(page, "Letter")
    assert count == 1, f"{count} pages"
    assert all(f"Meeting number {n}" in words for n in range(12))
    assert "Find meetings" not in words and "Filters" not in words


def test_copy_link_says_copied(page: Page, live_server: str, full_meeting: Meeting) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.add_init_script("Object.defineProperty(navigator, 'share', {value: undefined});")
    page.goto(f"{live_server}/meetings/{full_meeting.slug}")
    button = page.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("[data-share-status]")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server}/meetings/{full_meeting.slug}"


def test_share_button_opens_the_share_sheet(
    page: Page, live_server: str, full_meeting: Meeting
) -> None:
    page.add_init_script(
        "window.__shared = null;"
        "Object.defineProperty(navigator, 'share', {value: function (data) {"
        " window.__shared = data; return Promise.resolve(); }});"
    )
    page.goto(f"{live_server}/meetings/{full_meeting.slug}")
    page.get_by_role("button", name="Share", exact=True).click()
    shared = page.evaluate("window.__shared")
    assert shared["url"] == f"{live_server}/meetings/{full_meeting.slug}"
    assert shared["text"].startswith("Tuesday Night Big Book Step Study and Discussion, Mondays")


def make_list(page: Page, live_server: str, meeting: Meeting) -> None:
    """Make a shared list of one meeting through the form, and land on it."""
    page.goto(f"{live_server}/lists/new?slug={meeting.slug}")
    page.get_by_role("button", name="Make the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings to try")


def test_sharing_pages_fit_a_phone_and_pass_axe(
    page: Page, live_server: str, full_meeting: Meeting
) -> None:
    make_list(page, live_server, full_meeting)
    pages = [page.url, f"{live_server}/lists/new?slug={full_meeting.slug}"]
    pages.append(f"{live_server}/meetings/{full_meeting.slug}")
    for url in pages:
        for width in (390, 320):
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(url)
            no_horizontal_scroll(page)
        assert serious_violations(page) == [], url


@pytest.fixture
def online_demo(make_meeting: Callable[..., Meeting]) -> Meeting:
    """Demo meetings with a join link and a dial-in number: one online only (returned), one
    hybrid (in a nearby search)."""
    from finder.models import Source

    source = Source(name="Demo", kind="demo")
    reach = {"conference_url": "https://meet.example.com/demo/42"}
    reach["conference_phone"] = "+16465550142,,42#"
    make_meeting(name="Demo Online Step Study", source=source, **reach)
    return make_meeting(name="Demo Online Step Study", approximate=True, source=source, **reach)


@pytest.mark.parametrize("search", ["near=40.7484,-73.9967", "attendance=online"])
def test_printed_results_keep_join_links_phones_and_demo_marks(
    page: Page, live_server: str, online_demo: Meeting, search: str
) -> None:
    page.goto(f"{live_server}/meetings?{search}")
    expect(page.get_by_text("https://meet.example.com/demo/42").first).to_be_hidden()  # paper only
    _, words = pdf_pages(page, "Letter")
    flat = " ".join(words.split())
    assert "Demo Online Step Study" in flat
    assert "Join online: https://meet.example.com/demo/42" in flat
    assert "Call in: +1 646-555-0142" in flat  # readable, its code said apart
    assert "When the call connects, dial: 42#" in flat
    assert "Demo listing" in flat
    assert "Do not travel" in flat  # the demo notice, from the footer
    assert "We don't track you" not in flat  # the rest of the footer stays off paper


def test_a_printed_list_keeps_join_links_phones_and_demo_marks(
    page: Page, live_server: str, online_demo: Meeting
) -> None:
    make_list(page, live_server, online_demo)
    _, words = pdf_pages(page, "Letter")
    flat = " ".join(words.split())
    assert "Join online: https://meet.example.com/demo/42" in flat
    assert "Call in: +1 646-555-0142" in flat  # readable, its code said apart
    assert "When the call connects, dial: 42#" in flat
    assert "Demo listing" in flat and "Do not travel" in flat


def test_a_button_whose_words_wrap_keeps_them_centred(
    page: Page, live_server: str, make_meeting: Callable[..., Meeting]
) -> None:
    # In Spanish at 320 px "Mensaje de texto" and "Llamar por teléfono: ..." take two lines.
    meeting = make_meeting(name="Grupo Esperanza", conference_phone="+16465550100")
    page.set_viewport_size({"width": 320, "height": 844})
    page.goto(f"{live_server}/meetings/{meeting.slug}?lang=es")
    for name in ("Mensaje de texto", "Llamar por teléfono"):
        button = page.get_by_role("link", name=name)
        lines = button.evaluate(
            """(el) => {
                const range = document.createRange();
                range.selectNodeContents(el);
                const box = el.getBoundingClientRect();
                return [...range.getClientRects()].map((r) => [
                    r.left - box.left, box.right - r.right, r.width]);
            }"""
        )
        wide = [(left, right) for left, right, width in lines if width > 20]
        assert wide, name
        for left, right in wide:
            assert abs(left - right) < 6, f"{name}: {left:.0f} px left, {right:.0f} px right"
