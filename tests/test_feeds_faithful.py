"""Faithful listings (issue 8): slugs as given, gone meetings, times, types and fellowship
as the source has them, in finder's pages and in its own feed."""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import delete, select

from finder.feeds import bmlt
from finder.models import Group, Location, Meeting, MeetingSlug, Source
from tests.accounts_support import register
from tests.feeds_support import DATA, import_rows, meetings_of, run_import

FEED_URL = "/api/v1/feed.json"


def row(slug: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": slug.replace("-", " ").title(), "slug": slug, "day": 1, "time": "19:00",
        "latitude": 40.7484, "longitude": -73.9967,
        "formatted_address": "350 5th Ave, New York, NY 10118, USA", "types": ["O"],
    }  # fmt: skip
    return {**base, **fields}


def feed(client: Any) -> dict[str, dict[str, Any]]:
    response = client.get(FEED_URL)
    assert response.status_code == 200
    return {r["slug"]: r for r in json.loads(response.data)}


def text_of(response: Any) -> str:
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(page).split())


# 3. Slugs kept exactly as given.


@pytest.mark.parametrize(
    "slug",
    ["shoulder-shoulder-group-Sun12am", "hartsville-group-", "a" * 151, "12 Steps & Traditions",
     "slash/in-it", "ünïcode-grüppe", "what?#100%"],
)  # fmt: skip
def test_a_slug_is_kept_exactly_and_its_page_answers_at_the_feeds_url(app, client, slug):
    import_rows(app, [row(slug, name="The Group")])
    published = feed(client)
    assert list(published) == [slug]
    url = published[slug]["url"]
    assert url == "http://localhost/meetings/" + quote(slug, safe="")
    response = client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    assert "The Group" in text_of(response)


def test_only_a_collision_between_sources_adds_a_suffix(app, client, session):
    import_rows(app, [row("Hartsville-Courtyard-Group")], name="first")
    # Another meeting with the same slug (an hour earlier: not the same meeting listed twice).
    import_rows(app, [row("Hartsville-Courtyard-Group", time="18:00"), row("other")], name="second")
    second = session.scalar(select(Source).where(Source.name == "second"))
    assert meetings_of(session, "first")["Hartsville-Courtyard-Group"].slug == (
        "Hartsville-Courtyard-Group"
    )
    taken = meetings_of(session, "second")["Hartsville-Courtyard-Group"]
    assert taken.slug == f"Hartsville-Courtyard-Group-s{second.id}"
    assert set(feed(client)) == {
        "Hartsville-Courtyard-Group",
        f"Hartsville-Courtyard-Group-s{second.id}",
        "other",
    }


def test_a_slug_changed_at_the_source_with_the_same_id_redirects_301(app, client, session):
    import_rows(app, [row("tuesday-night", id=77, name="Tuesday Night")], name="tsml")
    before = meetings_of(session, "tsml")["tuesday-night"]
    import_rows(app, [row("Tuesday-Night-Group", id=77, name="Tuesday Night")], name="tsml")
    meetings = meetings_of(session, "tsml")
    assert list(meetings) == ["Tuesday-Night-Group"]  # the same row, not a new meeting
    assert meetings["Tuesday-Night-Group"].id == before.id
    response = client.get("/meetings/tuesday-night")
    assert response.status_code == 301
    assert response.headers["Location"] == "/meetings/Tuesday-Night-Group"
    assert client.get("/meetings/Tuesday-Night-Group").status_code == 200
    assert list(feed(client)) == ["Tuesday-Night-Group"]


def test_a_slug_once_given_is_never_given_to_another_meeting(app, client, session):
    import_rows(app, [row("old-name", id=1)], name="first")
    import_rows(app, [row("new-name", id=1)], name="first")  # old-name now redirects
    import_rows(app, [row("old-name", name="Someone Else")], name="second")
    second = meetings_of(session, "second")["old-name"]
    assert second.slug != "old-name" and second.slug.startswith("old-name-s")
    response = client.get("/meetings/old-name")
    assert response.status_code == 301 and response.headers["Location"] == "/meetings/new-name"


def test_a_slug_changed_by_an_older_import_is_given_back_with_a_redirect(app, client, session):
    """Meetings imported before slugs were kept (lower-cased, cut) get the source's slug."""
    import_rows(app, [row("Boyertown-Zoom-Fri")], name="sepia")
    meeting = meetings_of(session, "sepia")["Boyertown-Zoom-Fri"]
    meeting.slug, meeting.feed_slug = "boyertown-zoom-fri", None  # as the old import left it
    session.commit()
    report = import_rows(app, [row("Boyertown-Zoom-Fri")], name="sepia")
    assert report.counts.updated == 1
    assert meetings_of(session, "sepia")["Boyertown-Zoom-Fri"].slug == "Boyertown-Zoom-Fri"
    response = client.get("/meetings/boyertown-zoom-fri")
    assert response.status_code == 301
    assert response.headers["Location"] == "/meetings/Boyertown-Zoom-Fri"
    assert session.scalars(select(MeetingSlug.slug)).all() == ["boyertown-zoom-fri"]


# 4. Times and dates as given.


def test_no_end_time_in_the_feed_or_on_the_page_when_the_source_gave_none(app, client):
    """The format's one hour still decides "in progress", but no page states it as the
    meeting's end: nobody said it ends then."""
    import_rows(app, [row("midnight-howlers", day=0, time="23:59"),
                      row("given", end_time="20:30")])  # fmt: skip
    published = feed(client)
    assert "end_time" not in published["midnight-howlers"]
    assert published["given"]["end_time"] == "20:30"
    page = text_of(client.get("/meetings/midnight-howlers"))
    assert "Sundays, 11:59 pm" in page and "12:59 am" not in page
    assert "– 8:30 pm" in text_of(client.get("/meetings/given"))


def test_the_page_says_last_updated_only_when_the_source_said_so(app, client, session):
    import_rows(app, [row("dated", updated="2022-06-24 22:36:34"), row("undated")])
    assert "Last updated June 24, 2022" in text_of(client.get("/meetings/dated"))
    undated = text_of(client.get("/meetings/undated"))
    read = session.scalar(select(Source.last_import_at))
    assert "Last updated" not in undated
    assert f"last imported {read:%B} {read.day}, {read.year}" in undated


# 5. Types: Meeting Guide codes only.


@pytest.mark.parametrize(
    ("world_id", "name", "codes"),
    [("OPEN", "Open", ["O"]), ("CLOSED", "Closed", ["C"]), ("BEG", "Beginners", ["BE"]),
     ("STEP", "Step", ["ST"]), ("SPK", "Speaker Only", ["SP"]), ("WCHR", "Wheelchair", ["X"]),
     ("CW", "Children Welcome", ["CF"]), ("GL", "Gay/Lesbian", ["LGBTQ"]),
     ("LANG", "Espanol", ["S"]), ("", "ASL", ["ASL"]), ("TRAD", "Tradition", ["TR"]),
     # Narrower than their code: the code, and the format's own name for the page.
     ("BT", "Basic Text", ["LIT", "Basic Text"]),
     ("JFT", "Just for Today", ["LIT", "Just for Today"]),
     ("IW", "It Works", ["LIT", "It Works"]), ("LC", "Living Clean", ["LIT", "Living Clean"]),
     ("SWG", "Step Working Guide", ["ST", "Step Working Guide"]),
     ("TRAD", "Traditions Workshop", ["TR", "Traditions Workshop"]),
     # Two formats in one: both codes.
     ("SPK", "Speaker/Discussion", ["SP", "D"]), ("", "Speaker/Discussion", ["SP", "D"]),
     # No code fits: the name as given.
     ("VAR", "Rotating Format", ["Rotating Format"]), ("", "Timer", ["Timer"])],
)  # fmt: skip
def test_bmlt_formats_map_to_meeting_guide_codes_where_one_fits(world_id, name, codes):
    formats = [{"key_string": "K", "name_string": name, "world_id": world_id}]
    assert bmlt.format_types(formats) == {"K": codes}


def test_the_feed_publishes_codes_only_and_the_page_the_rest_in_words(app, client, session):
    run_import(app, DATA / "bmlt-excerpt.json", name="BMLT")
    import_rows(app, [row("onl", types=["ONL", "O", "XYZ"],
                          conference_url="https://zoom.us/j/1")])  # fmt: skip
    published = feed(client)
    jft = next(m for m in meetings_of(session, "BMLT").values() if m.source_key == "1055")
    assert published[jft.slug]["types"] == ["LIT"]
    assert published["onl"]["types"] == ["O"]  # ONL: online comes from the link
    assert published["onl"]["attendance_option"] in {"online", "hybrid"}
    codes = {code for r in published.values() for code in r.get("types", [])}
    known = set(json.loads((DATA / "spec" / "types.json").read_text()))
    assert codes <= known
    page = text_of(client.get(f"/meetings/{jft.slug}"))
    assert "The source also lists: Just for Today, Round Robin" in page
    assert "Literature" in page


# 6. A clean feed, and the fellowship.


def test_a_round_trip_keeps_na_as_na(app, client, session):
    run_import(app, DATA / "bmlt-excerpt.json", name="BMLT")
    exported = client.get(FEED_URL).data
    rows = json.loads(exported)
    assert rows and {r["fellowship"] for r in rows} == {"na"}
    for model in (MeetingSlug, Meeting, Group, Location, Source):
        session.execute(delete(model))
    session.commit()
    run_import(app, exported, location="https://finder.example/api/v1/feed.json")
    session.expire_all()
    codes = {m.fellowship.code for m in session.scalars(select(Meeting))}
    assert codes == {"na"}
    assert {r["fellowship"] for r in json.loads(client.get(FEED_URL).data)} == {"na"}


def test_regions_and_addresses_come_out_as_they_went_in(app, client):
    import_rows(app, [
        row("parts", formatted_address=None, address="50 W Washington St", city="Chicago",
            state="IL", regions=["Cook County", "Chicago"]),
        row("subregion", region="Orange County", sub_region="Irvine"),
        row("none", regions=[]),
    ])  # fmt: skip
    published = feed(client)
    assert "formatted_address" not in published["parts"]  # the source gave none
    assert (published["parts"]["address"], published["parts"]["city"]) == (
        "50 W Washington St",
        "Chicago",
    )
    assert published["parts"]["regions"] == ["Cook County", "Chicago"]
    assert published["subregion"]["regions"] == ["Orange County", "Irvine"]
    assert "regions" not in published["none"]
    assert published["subregion"]["formatted_address"] == "350 5th Ave, New York, NY 10118, USA"


# 7. Gone meetings.


def test_a_meeting_that_left_its_feed_answers_410_with_what_it_was(app, client):
    same_place = row("same-place", day=3, time="12:00", name="Noon Group")
    same_time = row("same-time", latitude=40.7527, longitude=-73.9772, name="Grand Central",
                    formatted_address="89 E 42nd St, New York, NY 10017, USA")  # fmt: skip
    far = row("far", latitude=34.05, longitude=-118.24, name="Far Away")
    leaving = row("tuesday-step", name="Tuesday Step Study", day=2, time="19:30")
    import_rows(app, [leaving, same_place, same_time, far], name="intergroup")
    import_rows(app, [row("monday", day=1, time="19:30", name="Monday Group",
                          latitude=40.7527, longitude=-73.9772)], name="other")  # fmt: skip
    import_rows(app, [same_place, same_time, far], name="intergroup")
    response = client.get("/meetings/tuesday-step")
    assert response.status_code == 410
    page = text_of(response)
    assert "no longer listed" in page
    assert "Tuesday Step Study" in page and "Tuesdays, 7:30 pm" in page
    assert "Noon Group" in page  # same place
    assert "Far Away" not in page
    body = response.get_data(as_text=True)
    assert 'href="/meetings/same-place"' in body
    assert "tuesday-step" not in feed(client)
    assert client.get("/meetings/never-was").status_code == 404


def test_a_gone_meeting_lists_meetings_at_the_same_time_nearby(app, client):
    leaving = row("leaving", name="Leaving Group", day=2, time="19:30")
    near_same_time = row("near", name="Near Same Time", day=2, time="19:30",
                         latitude=40.7527, longitude=-73.9772)  # fmt: skip
    near_other_time = row("near-other", name="Other Hour", day=2, time="08:00",
                          latitude=40.7527, longitude=-73.9772)  # fmt: skip
    import_rows(app, [leaving, near_same_time, near_other_time], name="g")
    import_rows(app, [near_same_time, near_other_time], name="g")
    page = text_of(client.get("/meetings/leaving"))
    assert "Meetings at the same time nearby" in page and "Near Same Time" in page
    assert "Other Hour" not in page
    import_rows(app, [leaving, near_same_time, near_other_time], name="g")  # it came back
    assert client.get("/meetings/leaving").status_code == 200


def test_a_gone_meetings_old_date_is_never_in_search_results(app, client):
    import_rows(app, [row("a", name="Gone Group"), row("b", name="Kept Group")], name="g")
    import_rows(app, [row("b", name="Kept Group")], name="g")
    results = text_of(client.get("/meetings?near=10001"))
    assert "Kept Group" in results and "Gone Group" not in results


# 8. The same meeting from two feeds.


def one_meeting_two_listings() -> tuple[dict[str, Any], dict[str, Any]]:
    """One meeting as two feeds list it: same day and time, alike names, about 30 m apart."""
    first = row("tuesday-night", name="Tuesday Night Group", day=2, time="19:30")
    second = row("tue-night", name="The Tuesday Night Group", day=2, time="19:30",
                 latitude=40.7486, longitude=-73.9969)  # fmt: skip
    return first, second


def test_the_same_meeting_from_two_feeds_shows_once_and_links_the_other(app, client, session):
    first, second = one_meeting_two_listings()
    other_time = row("tue-late", name="Tuesday Night Group", day=2, time="21:00")
    other_name = row("womens-step", name="Women's Step Study", day=2, time="19:30")
    import_rows(app, [first], name="intergroup")
    import_rows(app, [second, other_time, other_name], name="district")
    results = client.get("/meetings?near=10001&day=2").get_data(as_text=True)
    assert results.count('href="/meetings/tuesday-night"') == 1
    assert 'href="/meetings/tue-night"' not in results
    assert 'href="/meetings/tue-late"' in results and 'href="/meetings/womens-step"' in results
    page = client.get("/meetings/tue-night")
    assert page.status_code == 200
    assert "Also listed by" in text_of(page)
    assert 'href="/meetings/tuesday-night"' in page.get_data(as_text=True)
    assert 'href="/meetings/tue-night"' in client.get("/meetings/tuesday-night").get_data(
        as_text=True
    )
    import_rows(app, [row("something-else")], name="intergroup")  # the first listing left
    results = client.get("/meetings?near=10001&day=2").get_data(as_text=True)
    assert 'href="/meetings/tue-night"' in results


def test_the_same_meeting_from_two_feeds_is_published_once(app, client):
    """A site reading finder's feed would otherwise list it twice."""
    first, second = one_meeting_two_listings()
    import_rows(app, [first], name="intergroup")
    import_rows(app, [second, row("tue-late", day=2, time="21:00")], name="district")
    assert set(feed(client)) == {"tuesday-night", "tue-late"}
    import_rows(app, [row("something-else")], name="intergroup")  # the first listing left
    assert set(feed(client)) == {"something-else", "tue-night", "tue-late"}


def test_the_same_join_link_and_time_is_one_meeting_wherever_its_placeholder(app, session):
    online = {"day": 3, "time": "20:00", "conference_url": "https://zoom.us/j/123?pwd=abc",
              "approximate": "yes"}  # fmt: skip
    import_rows(app, [row("zoom-a", name="Sober Online", **online)], name="one")
    import_rows(app, [row("zoom-b", name="Different Name", latitude=34.05, longitude=-118.24,
                          **{**online, "conference_url": "https://ZOOM.us/j/123"})],
                name="two")  # fmt: skip
    import_rows(app, [row("zoom-c", name="Sober Online",
                          **{**online, "conference_url": "https://zoom.us/j/999"})],
                name="three")  # fmt: skip
    first = meetings_of(session, "one")["zoom-a"]
    assert meetings_of(session, "two")["zoom-b"].duplicate_of_id == first.id
    assert meetings_of(session, "three")["zoom-c"].duplicate_of_id is None
    assert first.duplicate_of_id is None


def test_one_source_listing_two_alike_meetings_keeps_both(app, session):
    import_rows(app, [row("a", name="Noon Group"), row("b", name="Noon Group")], name="one")
    assert [m.duplicate_of_id for m in meetings_of(session, "one").values()] == [None, None]


# Slugs as given, for the people who saved them.


@pytest.mark.parametrize("slug", ["a" * 151, "Shoulder/Group-Sun12am"])
def test_a_meeting_with_a_long_or_odd_slug_can_be_saved(app, client, session, slug):
    import_rows(app, [row(slug, name="Odd Slug Group")])
    register(client)
    response = client.post(f"/meetings/{quote(slug, safe='')}/favorite")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/meetings/{quote(slug, safe='')}"
    assert "Odd Slug Group" in text_of(client.get("/me/favorites"))


def test_a_saved_meeting_follows_its_slug_change(app, client):
    import_rows(app, [row("old-slug", id=5, name="Saved Group")], name="tsml")
    register(client)
    client.post("/meetings/old-slug/favorite")
    import_rows(app, [row("New-Slug", id=5, name="Saved Group")], name="tsml")
    page = text_of(client.get("/me/favorites"))
    assert "Saved Group" in page and "no longer listed" not in page.lower()
