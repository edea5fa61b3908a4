"""At 320 px a day and its time stay on one line: "Wednesday 8:00 pm", not "8:00" and "pm"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page

from finder.models import Meeting
from tests.browser.test_phone import no_horizontal_scroll
from tests.feeds_support import import_rows

# Names of many lengths beside the time: at 320 px some leave the time half a line.
NAMES = [
    "Grapevine",
    "Big Book Study",
    "Chelsea Early Birds",
    "Chelsea Early Birdss",
    "Tuesday Night Step",
    "Tuesday Night Steps",
    "Serenity Seekers Group",
]
# How many lines the words `phrase` take in the element.
LINES_JS = """(el, phrase) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const at = text.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + phrase.length);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  }
  return 0;
}"""


@pytest.fixture
def first(make_meeting: Callable[..., Meeting]) -> Meeting:
    here = make_meeting(name="Rooftop Hope", day=1, time=dt.time(20, 0))
    for name in NAMES:
        make_meeting(name=name, location=here.location, day=3, time=dt.time(20, 0))
    return here


def split_times(page: Page, when: str) -> list[str]:
    """The other meetings whose day and time (`when`) take more than one line."""
    split = []
    for item in page.locator(".others li").all():
        lines = item.evaluate(LINES_JS, when)
        assert lines > 0, f"{when!r} is not in {item.inner_text()!r}"
        if lines > 1:
            split.append(item.inner_text())
    return split


@pytest.mark.parametrize(
    ("language", "when"), [("en", "Wednesday 8:00 pm"), ("es", "Miércoles 20:00")]
)
def test_other_meetings_here_keep_day_and_time_on_one_line(
    page: Page, live_server: str, first: Meeting, language: str, when: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + f"/meetings/{first.slug}?lang={language}")
    assert page.locator(".others li").count() == len(NAMES)
    assert split_times(page, when) == []
    no_horizontal_scroll(page)


def test_a_gone_meetings_neighbours_keep_day_and_time_on_one_line(
    page: Page, app: Flask, live_server: str
) -> None:
    place = {"latitude": 40.7484, "longitude": -73.9967, "formatted_address": "350 5th Ave"}
    staying = [
        {"name": name, "slug": f"stay-{n}", "day": 3, "time": "20:00", **place}
        for n, name in enumerate(NAMES)
    ]
    leaving = {"name": "Rooftop Hope", "slug": "leaving", "day": 1, "time": "20:00", **place}
    import_rows(app, [leaving, *staying], name="intergroup")
    import_rows(app, staying, name="intergroup")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/meetings/leaving")
    assert page.locator(".others li").count() >= len(NAMES)
    assert split_times(page, "Wednesday 8:00 pm") == []
    no_horizontal_scroll(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_distance_keeps_its_number_and_unit_together(
    page: Page, live_server: str, make_meeting: Callable[..., Meeting], language: str
) -> None:
    for n, fellowship in enumerate(["aa", "cr", "rd", "alanon", "refuge", "smart"]):
        make_meeting(
            fellowship=fellowship,
            rough_point=n % 2 == 0,
            conference_url="https://zoom.us/j/123456789" if n % 3 else "",
            latitude=40.7484 + n / 300,
            longitude=-73.9967,
        )
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + f"/meetings?near=10001&lang={language}")
    split = []
    for meta in page.locator(".card .meta").all():
        distance = meta.locator("span").last.inner_text()
        assert distance.endswith(" mi")
        if meta.evaluate(LINES_JS, distance) > 1:
            split.append(meta.inner_text())
    assert split == []
