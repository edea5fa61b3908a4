"""Feeds on pages: the feed link in every page's head, and where a meeting came from."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from finder.models import Source
from tests.feeds_support import DATA, import_rows, meetings_of, run_import

FEED_LINK = (
    '<link rel="alternate" type="application/json" title="Meetings Feed" '
    'href="http://localhost/api/v1/feed.json">'
)


@pytest.mark.parametrize("path", ["/", "/meetings?near=10001", "/no-such-page"])
def test_every_page_points_to_the_feed(client, path):
    page = client.get(path).get_data(as_text=True)
    head = page.split("</head>")[0]
    assert FEED_LINK in head


def test_meeting_page_shows_the_source_and_last_import(app, client, session):
    run_import(app, DATA / "sepia-excerpt.json", name="SEPIA Intergroup")
    source = session.scalar(select(Source).where(Source.name == "SEPIA Intergroup"))
    meeting = next(iter(meetings_of(session, "SEPIA Intergroup").values()))
    page = html.unescape(client.get(f"/meetings/{meeting.slug}").get_data(as_text=True))
    imported = source.last_import_at
    date = f"{imported:%B} {imported.day}, {imported.year}"
    assert f"Source: SEPIA Intergroup, last imported {date}." in re.sub(r"<[^>]+>", "", page)
    assert f'href="{meeting.source_url}"' in page
    assert meeting.source_url.startswith("https://www.aasepia.org/")


def test_meetings_not_from_a_feed_name_no_source(client, make_meeting):
    meeting = make_meeting(name="Local Group")
    page = client.get(f"/meetings/{meeting.slug}").get_data(as_text=True)
    assert "Source:" not in page and "last imported" not in page


def page_text(client, slug: str) -> str:
    page = html.unescape(client.get(f"/meetings/{slug}").get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_last_updated_is_the_listings_own_date_not_the_import_date(app, client, session):
    rows = [{"name": "Old Listing", "slug": "old-listing", "day": 2, "time": "19:00",
             "latitude": 40.7, "longitude": -74.0, "updated": "2021-03-04 05:06:07"}]  # fmt: skip
    import_rows(app, rows)
    text = page_text(client, "old-listing")
    assert "Last updated March 4, 2021" in text
    imported = meetings_of(session, "rows")["old-listing"].updated_at
    assert f"Last updated {imported:%B} {imported.day}, {imported.year}" not in text


def test_without_the_feeds_date_the_page_says_when_finder_read_the_source(app, client, session):
    """BMLT gives no `updated`: the import date is no "Last updated" of the listing."""
    run_import(app, DATA / "bmlt-excerpt.json", name="BMLT")
    meeting = next(iter(meetings_of(session, "BMLT").values()))
    read = meeting.source.last_import_at
    text = page_text(client, meeting.slug)
    assert "Last updated" not in text
    assert f"last imported {read:%B} {read.day}, {read.year}" in text
