"""Places as the source means them: rooms, areas (online-only "Virtual Only") and no place."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from finder.geocoding import Place
from tests.feeds_support import DATA, import_rows, meetings_of, run_import

SEPIA = DATA / "sepia-places.json"  # rows copied from the SEPIA feed (aasepia.org, MIT)
VIRTUAL = {  # "Virtual Only", address "Philadelphia, PA, USA", a point at City Hall
    "shoulder-shoulder-group-Sun12am",
    "online-sunday-sober-at-seven",
    "zoom-first-things-first",
    "meeting-daily-reflections-online-sunday-562-group",
}
NO_LINK = "westown-friday-night-online"  # "Virtual Only" without a link: inactive
ROOMS = {
    "ethical-714-am-sun",
    "meeting-1906-rittenhouse-square-philadelphia-pa-19103-usa-0-123000",
    "meeting-1904-walnut-st-philadelphia-pa-19103-usa-0-080000",
}
CARD = re.compile(r'<h2 class="card-title"><a href="/meetings/([^"]+)">')


def api_slugs(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/api/v1/meetings?{query}")
    assert response.status_code == 200, response.get_json()
    return [m["slug"] for m in response.get_json()["meetings"]]


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_virtual_only_meetings_are_online_at_an_area_not_rooms(app: Flask, session: Session):
    run_import(app, SEPIA, name="SEPIA")
    meetings = meetings_of(session, "SEPIA")
    for slug in VIRTUAL:
        assert meetings[slug].location.approximate is True
        assert meetings[slug].attendance == "online"
    assert meetings[NO_LINK].attendance == "inactive"
    for slug in ROOMS:
        assert meetings[slug].location.approximate is False
    assert meetings["ethical-714-am-sun"].attendance == "in_person"
    assert meetings["meeting-1904-walnut-st-philadelphia-pa-19103-usa-0-080000"].attendance == (
        "hybrid"
    )


def slugs_of(session: Session, keys: set[str]) -> set[str]:
    """finder's slugs of these SEPIA meetings (keyed by the feed's slug)."""
    meetings = meetings_of(session, "SEPIA")
    return {meetings[key].slug for key in keys}


def test_nearest_shows_rooms_and_areas_only_when_online_is_asked(
    app: Flask, client: FlaskClient, session: Session
):
    run_import(app, SEPIA, name="SEPIA")
    rooms, virtual = slugs_of(session, ROOMS), slugs_of(session, VIRTUAL)
    # Near 19103, nearest first: real rooms, never City Hall placeholders.
    assert set(api_slugs(client, "near=19103")) == rooms
    html = page(client, "/meetings?near=19103&sort=distance")
    assert set(CARD.findall(html)) == rooms
    assert "online meetings, soonest first" in html  # the online ones are listed apart
    # Asked for online: the virtual ones and the hybrid room, the areas without a distance.
    online = client.get("/api/v1/meetings?near=19103&attendance=online").get_json()["meetings"]
    by_slug = {m["slug"]: m for m in online}
    hybrid = slugs_of(session, ROOMS - {"ethical-714-am-sun"})
    assert set(by_slug) == virtual | hybrid
    assert all(by_slug[s]["distance_km"] is None for s in virtual)


def test_a_virtual_meeting_page_has_no_directions_and_no_other_meetings(
    app: Flask, client: FlaskClient
):
    run_import(app, SEPIA, name="SEPIA")
    html = page(client, "/meetings/zoom-first-things-first")
    assert "Online only" in html
    assert "The group is based in Philadelphia, PA, USA." in html
    assert "Directions in Google Maps" not in html and "geo:" not in html
    assert "Other meetings here" not in html
    assert "City Hall" not in html
    room = page(client, "/meetings/ethical-714-am-sun")
    assert "Directions in Google Maps" in room


def test_the_feed_keeps_areas_approximate(app: Flask, client: FlaskClient, session: Session):
    run_import(app, SEPIA, name="SEPIA")
    feed = {row["slug"]: row for row in client.get("/api/v1/feed.json").get_json()}
    assert all(feed[s]["approximate"] == "yes" for s in slugs_of(session, VIRTUAL))
    assert all(feed[s]["approximate"] == "no" for s in slugs_of(session, ROOMS))
    assert feed["zoom-first-things-first"]["attendance_option"] == "online"


def test_attendance_option_never_turns_an_area_into_a_room(app: Flask, session: Session):
    rows = [{"name": "Zoom Group", "slug": "zoom", "day": 1, "time": "19:00",
             "formatted_address": "Orange County, CA, USA", "approximate": "yes",
             "latitude": 33.7174708, "longitude": -117.8311428,
             "attendance_option": "in_person"}]  # fmt: skip
    report = import_rows(app, rows)
    meeting = meetings_of(session, "rows")["zoom"]
    assert meeting.attendance == "inactive"  # no room, no link
    assert any("attendance_option 'in_person'" in w.reason for w in report.warnings)


# --- online meetings without coordinates -------------------------------------------------


def online_row(slug: str, **fields: Any) -> dict[str, Any]:
    return {"name": slug.title(), "slug": slug, "day": 2, "time": "19:00",
            "conference_url": "https://zoom.us/j/1", **fields}  # fmt: skip


PACIFIC = "America/Los_Angeles"


def test_an_online_meeting_without_a_place_is_kept_without_coordinates(
    app: Flask, client: FlaskClient, session: Session
):
    rows = [
        online_row("marin-online", formatted_address="Marin, CA, US", timezone=PACIFIC),
        online_row("nowhere-online"),
        {"name": "Room", "slug": "room", "day": 1, "time": "19:00", "latitude": 37.97,
         "longitude": -122.53, "formatted_address": "1 Main St, San Rafael, CA 94901, USA"},
    ]  # fmt: skip
    report = import_rows(app, rows)
    assert report.rejected == []
    meetings = meetings_of(session, "rows")
    for slug in ("marin-online", "nowhere-online"):
        location = meetings[slug].location
        assert (location.latitude, location.longitude) == (None, None)
        assert meetings[slug].attendance == "online"
        assert location.timezone == PACIFIC  # its own, or the feed's usual one
    # Never near anything; found among online meetings anywhere.
    assert api_slugs(client, "lat=37.97&lng=-122.53&attendance=online") == []
    html = page(client, "/meetings?attendance=online")
    assert {"marin-online", "nowhere-online"} <= set(CARD.findall(html))
    meeting_page = page(client, "/meetings/marin-online")
    assert "Directions" not in meeting_page
    feed = {row["slug"]: row for row in client.get("/api/v1/feed.json").get_json()}
    assert "latitude" not in feed["marin-online"]
    assert feed["marin-online"]["approximate"] == "yes"


def test_an_in_person_meeting_nobody_can_place_is_rejected_with_the_reason(app: Flask):
    rows = [{"name": "Lost", "slug": "lost", "day": 1, "time": "19:00",
             "formatted_address": "12 Nowhere Rd, Qwxyzville, Qwxyz"},
            {"name": "Room", "slug": "room", "day": 1, "time": "19:00", "latitude": 40.7,
             "longitude": -74.0, "formatted_address": "1 Main St, New York, NY 10001"}]  # fmt: skip
    report = import_rows(app, rows)
    assert [(r.slug, r.reason) for r in report.rejected] == [
        (
            "lost",
            "has no coordinates and its address '12 Nowhere Rd, Qwxyzville, Qwxyz' was not found",
        )
    ]
    assert "GEOCODER=nominatim" in report.hint


# --- rough points ------------------------------------------------------------------------


ROUGH = {"name": "Church Basement", "slug": "rough", "day": 1, "time": "19:00",
         "formatted_address": "12 Nowhere Lane, Philadelphia, PA 19103, USA"}  # fmt: skip


def test_a_roughly_placed_street_address_is_a_room_with_an_approximate_pin(
    app: Flask, client: FlaskClient, session: Session
):
    import_rows(app, [ROUGH])
    location = meetings_of(session, "rows")["rough"].location
    assert (location.approximate, location.rough_point) == (False, True)
    html = page(client, "/meetings/rough")
    assert "map pin for this address is approximate" in html
    assert "12 Nowhere Lane, Philadelphia, PA 19103, USA" in html  # the address, not the area
    # Directions go by the address text, not by the ZIP code's point.
    assert "destination=12%20Nowhere%20Lane%2C%20Philadelphia" in html
    assert f"{location.latitude:.6f}" not in html
    results = page(client, "/meetings?near=19103")
    assert "rough" in CARD.findall(results)
    assert re.search(r"about (&lt; )?[\d.]+ mi", results)
    feed = {row["slug"]: row for row in client.get("/api/v1/feed.json").get_json()}
    assert feed["rough"]["approximate"] == "no"  # a room people can go to
    assert "latitude" not in feed["rough"] and "longitude" not in feed["rough"]


def test_an_online_geocoder_gives_street_addresses_their_own_point(
    app: Flask, client: FlaskClient, session: Session, fake_geocoder: Any
):
    fake_geocoder.places["12 nowhere lane, philadelphia, pa 19103, usa"] = Place(
        39.95123, -75.17012, "12 Nowhere Lane, Philadelphia"
    )
    import_rows(app, [ROUGH])
    location = meetings_of(session, "rows")["rough"].location
    assert (location.latitude, location.longitude) == (39.95123, -75.17012)
    assert location.rough_point is False
    html = page(client, "/meetings/rough")
    assert "map pin for this address is approximate" not in html
    assert "destination=39.951230,-75.170120" in html
    feed = {row["slug"]: row for row in client.get("/api/v1/feed.json").get_json()}
    assert (feed["rough"]["latitude"], feed["rough"]["longitude"]) == (39.95123, -75.17012)


# --- geocoding a whole feed --------------------------------------------------------------


def canadian(slug: str, address: str) -> dict[str, Any]:
    return {"name": slug.title(), "slug": slug, "day": 3, "time": "19:30",
            "formatted_address": address}  # fmt: skip


def test_world_cities_place_a_feed_without_coordinates_roughly(app: Flask, session: Session):
    rows = [canadian("queen", "123 Queen St W, Toronto, ON M5H 2M9, Canada"),
            canadian("vancouver", "Vancouver, BC, Canada")]  # fmt: skip
    report = import_rows(app, rows)
    assert report.rejected == [] and report.counts.added == 2
    meetings = meetings_of(session, "rows")
    queen = meetings["queen"].location
    assert (queen.approximate, queen.rough_point) == (False, True)
    assert queen.timezone == "America/Toronto"
    assert round(queen.latitude or 0) == 44  # Toronto's centre
    assert meetings["vancouver"].location.approximate is True  # a city: an area
    assert meetings["vancouver"].location.timezone == "America/Vancouver"


def test_a_feed_whose_rows_all_fail_says_why_with_counts_and_the_fix(runner, tmp_path):
    rows = [canadian(f"hamlet-{n}", f"{n} Harbour Rd, Tinyplace{n}, NS B0J 1A0, Canada")
            for n in range(3)] + [{"name": "No Slug", "day": 1, "time": "19:00"}]  # fmt: skip
    feed = tmp_path / "nova-scotia.json"
    feed.write_text(json.dumps(rows))
    result = runner.invoke(args=["import-feed", str(feed)])
    assert result.exit_code == 1
    out = result.output
    assert "rejected index 0 (hamlet-0): has no coordinates and its address " \
        "'0 Harbour Rd, Tinyplace0, NS B0J 1A0, Canada' was not found" in out  # fmt: skip
    assert "rejected index 3: has no slug" in out
    assert "all 4 rows were rejected" in out
    assert "3 rows have no coordinates and their address was not found" in out
    assert "set GEOCODER=nominatim" in out
    assert "1 rows were rejected for other reasons" in out
