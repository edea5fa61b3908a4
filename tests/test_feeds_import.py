"""Importing feeds into the database: upsert by (source, slug), unpublish, slugs, places, CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from finder.feeds.record import FeedPlace
from finder.geocoding import Place
from finder.models import GeocodeCache, Location, Meeting, Source
from tests.feeds_support import DATA, import_rows, meetings_of, run_import, snapshot

QUIRKS = DATA / "quirks-meeting-guide.json"


def row(slug: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": slug.replace("-", " ").title(), "slug": slug, "day": 1, "time": "19:00",
        "latitude": 40.7484, "longitude": -73.9967,
        "formatted_address": "350 5th Ave, New York, NY 10118, USA", "types": ["O"],
    }  # fmt: skip
    return {**base, **fields}


def test_cli_imports_the_quirks_feed_and_explains_every_rejected_row(runner, session):
    result = runner.invoke(args=["import-feed", str(QUIRKS), "--name", "Quirks"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "rejected index 13: has no slug" in lines
    assert "rejected index 15 (day-eight): day 8 is not 0 (Sunday) to 6 (Saturday)" in lines
    # An online meeting needs no place: kept without coordinates, in the feed's usual zone.
    assert "warning  index 18 (nowhere): online with no place found; kept without " \
        "coordinates, in America/New_York" in lines  # fmt: skip
    assert "warning  index 9 (bad-zone): unknown time zone 'Mars/Olympus'; using " \
        "America/Los_Angeles from the coordinates" in lines  # fmt: skip
    summary = lines[-1]
    assert summary.startswith("Quirks: 21 rows of Meeting Guide JSON in ")
    assert summary.endswith("16 added, 0 updated, 0 unchanged, 0 unpublished, 7 rejected")
    source = session.scalar(select(Source).where(Source.name == "Quirks"))
    assert source.last_counts["added"] == 16 and source.last_counts["rejected"] == 7
    assert source.last_import_at is not None
    assert source.fellowship.code == "aa"


def test_quirky_rows_are_stored_as_meetings_people_can_use(app, session):
    run_import(app, QUIRKS, name="Quirks")
    meetings = meetings_of(session, "Quirks")
    assert {"many-days-1", "many-days-3", "many-days-5"} <= set(meetings)
    assert meetings["string-day"].day == 1
    assert meetings["string-day"].end_time is None  # none given: none stored
    assert meetings["unknown-codes"].types == ["O", "XYZ", "Rotating Format"]
    assert meetings["onl-only"].attendance == "inactive"  # ONL, but no link to join
    assert meetings["tc-onl"].attendance == "online"
    assert meetings["tc-onl"].temporarily_closed
    assert meetings["tsml-online"].location.approximate
    # TSML says inactive, but it has a link to join: online, as the spec (and tsml-ui) read it.
    assert meetings["tsml-inactive"].attendance == "online"
    assert meetings["html-notes"].notes == "Enter at the side door & go up.\n\nBring a book\nCoffee"
    assert meetings["html-notes"].group.name == "Side Door Group"
    assert meetings["12345"].slug == "12345"
    assert meetings["12345"].location.timezone == "America/Chicago"
    assert meetings["by-appointment"].day is None and meetings["by-appointment"].time is None
    assert meetings["types-text"].types == ["O", "BE"]


def test_unknown_types_are_shown_as_given_on_the_meeting_page(app, client):
    run_import(app, QUIRKS, name="Quirks")
    page = client.get("/meetings/unknown-codes")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "XYZ" in text and "Rotating Format" in text


def test_approximate_places_are_found_nearby_but_get_no_directions(app, client, session):
    run_import(app, QUIRKS, name="Quirks")
    page = client.get("/meetings/tsml-online").get_data(as_text=True)
    assert "Directions in Google Maps" not in page and "geo:" not in page
    exact = client.get("/meetings/string-day").get_data(as_text=True)
    assert "Directions in Google Maps" in exact
    near = "/api/v1/meetings?lat=33.7174708&lng=-117.8311428&radius_km=1"
    assert "tsml-online" not in {m["slug"] for m in client.get(near).get_json()["meetings"]}
    found = client.get(near + "&attendance=online").get_json()
    assert "tsml-online" in {m["slug"] for m in found["meetings"]}


def test_importing_the_same_feed_again_changes_nothing(app, session):
    first = run_import(app, QUIRKS, name="Quirks")
    before = snapshot(session)
    second = run_import(app, QUIRKS, name="Quirks")
    after = snapshot(session)
    assert second.counts.as_dict() == {"added": 0, "updated": 0, "unchanged": 16, "unpublished": 0}
    assert first.counts.added == 16
    for table in ("meeting", "location", "meeting_group", "geocode_cache"):
        assert after[table] == before[table], table


def test_changed_meetings_update_and_missing_ones_are_unpublished_then_return(app, session):
    import_rows(app, [row("a"), row("b"), row("c")])
    ids = {k: m.id for k, m in meetings_of(session, "rows").items()}
    report = import_rows(app, [row("a", time="20:00"), row("b")])
    assert report.counts.as_dict() == {"added": 0, "updated": 1, "unchanged": 1, "unpublished": 1}
    meetings = meetings_of(session, "rows")
    assert meetings["a"].time == dt.time(20, 0)
    assert meetings["c"].published is False
    back = import_rows(app, [row("a", time="20:00"), row("b"), row("c")])
    assert back.counts.as_dict() == {"added": 0, "updated": 1, "unchanged": 2, "unpublished": 0}
    meetings = meetings_of(session, "rows")
    assert meetings["c"].published is True
    assert {k: m.id for k, m in meetings.items()} == ids
    assert meetings["c"].slug == "c"


def test_a_moved_meeting_gets_a_new_place_and_the_old_one_is_removed(app, session):
    import_rows(app, [row("a"), row("b")])
    assert session.scalar(select(func.count(Location.id))) == 1  # both share one place
    import_rows(app, [row("a", latitude=40.75, longitude=-73.99, formatted_address="X St"),
                      row("b")])  # fmt: skip
    meetings = meetings_of(session, "rows")
    assert meetings["a"].location_id != meetings["b"].location_id
    assert session.scalar(select(func.count(Location.id))) == 2
    import_rows(app, [row("a", latitude=40.75, longitude=-73.99, formatted_address="X St")])
    # b is unpublished but keeps its place; nothing is orphaned yet
    assert session.scalar(select(func.count(Location.id))) == 2
    moved = row("b", latitude=40.75, longitude=-73.99, formatted_address="X St")
    import_rows(app, [row("a", latitude=40.75, longitude=-73.99, formatted_address="X St"), moved])
    # now nobody meets at the first place: it is removed, and a and b share the new one
    assert session.scalar(select(func.count(Location.id))) == 1
    assert session.scalar(select(Location.formatted_address)) == "X St"


def test_slug_taken_by_another_source_gets_a_stable_suffix(app, session):
    import_rows(app, [row("shared"), row("only-first")], name="first")
    import_rows(app, [row("shared"), row("shared-s1")], name="second")
    second = meetings_of(session, "second")
    source_id = session.scalar(select(Source.id).where(Source.name == "second"))
    assert second["shared"].slug == f"shared-s{source_id}"
    import_rows(app, [row("shared"), row("shared-s1")], name="second")
    assert meetings_of(session, "second")["shared"].slug == f"shared-s{source_id}"
    assert meetings_of(session, "first")["shared"].slug == "shared"


def test_slugs_that_differ_only_in_dashes_or_case_are_both_kept_as_given(app, session):
    rows = [row("hartsville-group-"), row("hartsville-group"), row("Hartsville-Group")]
    report = import_rows(app, rows)
    assert report.counts.added == 3
    meetings = meetings_of(session, "rows")
    assert {key: m.slug for key, m in meetings.items()} == {
        "hartsville-group-": "hartsville-group-",
        "hartsville-group": "hartsville-group",
        "Hartsville-Group": "Hartsville-Group",
    }


def test_meetings_at_one_place_share_a_location(app, session):
    run_import(app, DATA / "sepia-excerpt.json", name="SEPIA")
    meetings = meetings_of(session, "SEPIA")
    places = {FeedPlace.of_location(m.location).key() for m in meetings.values()}
    assert session.scalar(select(func.count(Location.id))) == len(places) < len(meetings)


def test_an_empty_or_unreadable_feed_is_refused_and_changes_nothing(app, runner, session, tmp_path):
    import_rows(app, [row("a")], name="rows")
    before = snapshot(session)
    (tmp_path / "page.html").write_text("<html><body>Moved</body></html>")
    (tmp_path / "empty.json").write_text("[]")
    result = runner.invoke(args=["import-feed", str(tmp_path / "page.html"), "--name", "rows"])
    assert result.exit_code == 1
    assert "neither Meeting Guide JSON" in result.output
    empty = runner.invoke(args=["import-feed", str(tmp_path / "empty.json"), "--name", "rows"])
    assert empty.exit_code == 1
    assert "no importable meeting; nothing was changed" in empty.output
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("args", "code"),
    [([], "aa"), (["--fellowship", "CA"], "ca")],
)
def test_fellowship_option_and_default(runner, session, args, code):
    result = runner.invoke(args=["import-feed", str(DATA / "sepia-excerpt.json"), *args])
    assert result.exit_code == 0, result.output
    source = session.scalar(select(Source).where(Source.name == "sepia-excerpt"))
    assert source.fellowship.code == code
    assert {m.fellowship.code for m in session.scalars(select(Meeting))} == {code}


def test_bmlt_feeds_default_to_narcotics_anonymous(runner, session):
    result = runner.invoke(args=["import-feed", str(DATA / "bmlt-excerpt.json")])
    assert result.exit_code == 0, result.output
    assert "6 rows of BMLT search results" in result.output
    assert {m.fellowship.code for m in session.scalars(select(Meeting))} == {"na"}


def test_unknown_fellowship_is_an_error(runner, session):
    result = runner.invoke(args=["import-feed", str(DATA / "sepia-excerpt.json"),
                                 "--fellowship", "xx"])  # fmt: skip
    assert result.exit_code == 1
    assert "unknown fellowship 'xx'" in result.output
    assert session.scalar(select(func.count(Meeting.id))) == 0


def test_a_missing_file_is_a_clear_error(runner):
    result = runner.invoke(args=["import-feed", "/nonexistent/feed.json"])
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_missing_coordinates_are_geocoded_once_through_the_cache(app, session, fake_geocoder):
    fake_geocoder.places["350 5th ave, new york, ny 10118, usa"] = Place(
        40.748817, -73.985428, "Empire State Building"
    )
    rows = [row("a", latitude=None, longitude=None), row("b", latitude="", longitude="")]
    report = import_rows(app, rows)
    assert report.geocoded == 1 and report.warnings == []
    meeting = meetings_of(session, "rows")["a"]
    assert (meeting.location.latitude, meeting.location.longitude) == (40.748817, -73.985428)
    assert meeting.location.approximate is False
    assert meeting.location.timezone == "America/New_York"
    assert len(fake_geocoder.calls) == 1
    import_rows(app, rows)
    assert len(fake_geocoder.calls) == 1  # the second import is answered by the cache
    assert session.scalar(select(func.count(GeocodeCache.id))) == 1


def test_a_street_address_placed_roughly_stays_a_room(app, session, fake_geocoder):
    rows = [row("zip-only", latitude=None, longitude=None,
                formatted_address="12 Nowhere Lane, Philadelphia, PA 19103, USA")]  # fmt: skip
    report = import_rows(app, rows)
    assert report.counts.added == 1
    assert [w.reason for w in report.warnings] == [
        "address not found exactly; pinned roughly at Philadelphia, PA 19103"
    ]
    meeting = meetings_of(session, "rows")["zip-only"]
    assert meeting.location.approximate is False  # a room people can go to
    assert meeting.location.rough_point is True  # at its ZIP code's point
    assert meeting.attendance == "in_person"  # the meeting is in person; only our pin is rough
    assert meeting.location.timezone == "America/New_York"


def test_an_address_nobody_knows_is_rejected_with_the_reason(app, session, fake_geocoder):
    rows = [row("lost", latitude=None, longitude=None, formatted_address="Somewhere Else"),
            row("fine")]  # fmt: skip
    report = import_rows(app, rows)
    assert [(r.index, r.slug, r.reason) for r in report.rejected] == [
        (0, "lost", "has no coordinates and its address 'Somewhere Else' was not found")
    ]
    assert set(meetings_of(session, "rows")) == {"fine"}


def test_geocoder_outage_falls_back_to_offline_and_marks_the_point_rough(
    app, session, fake_geocoder
):
    fake_geocoder.down = True
    report = import_rows(app, [row("a", latitude=None, longitude=None)])
    assert report.counts.added == 1
    location = meetings_of(session, "rows")["a"].location
    assert (location.approximate, location.rough_point) == (False, True)


def test_time_zone_from_the_feed_or_else_from_the_coordinates(app, session):
    rows = [
        row("london", latitude=51.5074, longitude=-0.1278, formatted_address="London, UK"),
        row("tz-given", timezone="America/Chicago"),
    ]
    import_rows(app, rows)
    meetings = meetings_of(session, "rows")
    assert meetings["london"].location.timezone == "Europe/London"
    assert meetings["tz-given"].location.timezone == "America/Chicago"


def test_sources_are_found_again_by_url_and_names_are_made_unique(app, session):
    payload = json.dumps([row("a")]).encode()
    run_import(app, payload, location="https://example.org/feed.json")
    run_import(app, payload, location="https://example.org/feed.json")
    run_import(app, json.dumps([row("b")]).encode(), location="/srv/example.org/feed.json")
    names = sorted(session.scalars(select(Source.name)))
    assert names == ["example.org/feed.json", "feed"]


def test_notes_of_only_punctuation_are_stored_empty(app, session):
    import_rows(app, [row("a", notes=",", location_notes=" - ", group="G", group_notes=".",
                          conference_url_notes=",", conference_phone_notes="...")])  # fmt: skip
    meeting = meetings_of(session, "rows")["a"]
    stored = (meeting.notes, meeting.location.notes, meeting.group.notes,
              meeting.conference_url_notes, meeting.conference_phone_notes)  # fmt: skip
    assert stored == ("", "", "", "", "")


def test_the_feeds_updated_date_is_kept_and_a_new_one_is_a_change(app, session):
    dated = [row("a", updated="2021-03-04 05:06:07"), row("b")]
    import_rows(app, dated)
    meetings = meetings_of(session, "rows")
    assert meetings["a"].listing_updated_at == dt.datetime(2021, 3, 4, 5, 6, 7)
    assert meetings["b"].listing_updated_at is None
    assert meetings["a"].updated_at.year >= 2026  # our own record of the write stays ours
    again = import_rows(app, dated)
    assert again.counts.as_dict() == {"added": 0, "updated": 0, "unchanged": 2, "unpublished": 0}
    newer = import_rows(app, [row("a", updated="2021-05-06 07:08:09"), row("b")])
    assert newer.counts.updated == 1
    assert meetings_of(session, "rows")["a"].listing_updated_at == dt.datetime(2021, 5, 6, 7, 8, 9)
