"""Names with no spaces at all wrap at 320 px instead of widening the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page
from sqlalchemy.orm import Session

from finder.accounts import store
from finder.models import Meeting
from finder.organize.models import GroupReview, Organizer
from finder.organize.roles import local_source
from tests.accounts_support import PASSWORD
from tests.browser.test_organize_phone import log_in
from tests.browser.test_phone import no_horizontal_scroll

NAME = "supercalifragilisticexpialidociousmeetingnamewithoutspaces"
GROUP = "thegroupwiththelongestnameanyonehaseverseenanywhereatall"
NAMED = ".card-title, h1, h2, .others li, .place-name"


@pytest.fixture
def long_named(make_meeting: Callable[..., Meeting]) -> Meeting:
    meeting = make_meeting(
        name=NAME,
        group=GROUP,
        location_name="thecommunitycenterofthegreatermetropolitanvalley",
        latitude=40.7520,
        longitude=-73.9980,
    )
    make_meeting(name=NAME + "two", location=meeting.location, day=3)
    return meeting


def names_fit(page: Page, width: int) -> None:
    no_horizontal_scroll(page)
    # A phone browser widens its layout viewport to the page: compare with the screen too.
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"page is {wide}px wide on a {width}px screen"
    for named in page.locator(NAMED).all():
        box = named.bounding_box()
        if box is None:  # hidden
            continue
        text = named.inner_text()[:30]
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{text!r} runs out"
        inner = named.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        assert inner, f"{text!r} runs out of its box"


@pytest.mark.parametrize("width", [320, 390])
def test_unbroken_names_wrap_on_results_and_the_meeting_page(
    page: Page, live_server: str, long_named: Meeting, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 640})
    for path in ("/meetings?near=10118", f"/meetings/{long_named.slug}"):
        page.goto(live_server + path)
        assert NAME in page.content()
        names_fit(page, width)


def test_unbroken_names_wrap_on_the_organizer_dashboard(
    page: Page, live_server: str, session: Session, long_named: Meeting
) -> None:
    user = store.create_user(session, "organizer1", PASSWORD, "America/New_York")
    session.add(Organizer(group=long_named.group, user=user))
    session.add(GroupReview(group=long_named.group, state="approved"))
    long_named.source = local_source(session)  # posted here, by its organizer
    session.commit()
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, live_server, "organizer1")
    page.goto(live_server + "/organize")
    assert GROUP in page.inner_text("h2")
    assert NAME in page.inner_text(".org-meetings")
    names_fit(page, 320)
