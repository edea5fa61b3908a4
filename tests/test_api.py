"""The JSON API: /api/v1/meetings near a point or a place, its filters and its errors."""

from __future__ import annotations

import datetime as dt

import pytest

from finder.geo import haversine_km
from finder.geocoding import Place
from finder.models import Source

ZIP_10001 = (40.7484, -73.9967)
MANHATTAN = "/api/v1/meetings?lat=40.7484&lng=-73.9967&radius_km=10"
# Wednesday 5 March 2025, 10:00 in New York (EST), 08:00 in Phoenix; DST starts Sunday 9 March.
WEDNESDAY_MORNING = dt.datetime(2025, 3, 5, 15, 0, tzinfo=dt.UTC)
REQUIRED_KEYS = {
    "slug", "name", "day", "time", "end_time", "timezone", "types", "attendance", "location",
    "formatted_address", "latitude", "longitude", "distance_km", "next_start", "url",
}  # fmt: skip


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the API's clock; returns a setter for another instant."""

    def freeze(moment: dt.datetime) -> None:
        monkeypatch.setattr("finder.api.now_utc", lambda: moment)

    freeze(WEDNESDAY_MORNING)
    return freeze


@pytest.fixture
def manhattan(make_meeting, frozen):
    """Four meetings 0.6 to 8 km from ZIP 10001, nearest first; one 14 km away, one in Philly."""
    make_meeting(
        slug="sunrise",
        name="Sunrise Serenity",
        latitude=40.7500,
        longitude=-73.9900,
        day=3,
        time=dt.time(7, 0),
        end_time=dt.time(8, 0),
        types=["O"],
    )
    make_meeting(
        slug="womens",
        name="Women's Big Book",
        latitude=40.7600,
        longitude=-73.9800,
        fellowship="na",
        day=4,
        time=dt.time(12, 0),
        end_time=dt.time(13, 0),
        types=["C", "W"],
    )
    make_meeting(
        slug="online",
        name="Night Owls Online",
        latitude=40.7800,
        longitude=-73.9600,
        day=0,
        time=dt.time(19, 0),
        end_time=dt.time(20, 0),
        types=["O"],
        approximate=True,
        address="123 Secret Street",
        formatted_address="123 Secret Street, New York, NY 10001, USA",
        conference_url="https://zoom.us/j/81234567890",
    )
    make_meeting(
        slug="hybrid",
        name="Candlelight",
        latitude=40.8100,
        longitude=-73.9500,
        fellowship="alanon",
        day=3,
        time=dt.time(22, 0),
        end_time=dt.time(23, 0),
        types=["O", "X"],
        conference_url="https://zoom.us/j/81234567891",
    )
    make_meeting(slug="riverdale", latitude=40.8700, longitude=-73.9500, day=3)  # 14 km
    make_meeting(slug="philadelphia", latitude=39.9526, longitude=-75.1652, day=3)
    return ["sunrise", "womens", "hybrid"]  # an area is no room: "online" is found when asked


def meetings(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["meetings"]


def slugs(client, url: str) -> list[str]:
    return [m["slug"] for m in meetings(client, url)]


def test_lists_manhattan_meetings_nearest_first_with_true_distances(client, manhattan):
    response = client.get(MANHATTAN)
    body = response.get_json()
    assert body["center"] == {"lat": 40.7484, "lng": -73.9967, "label": "40.74840, -73.99670",
                              "approximate": False}  # fmt: skip
    assert [m["slug"] for m in body["meetings"]] == manhattan
    for m in body["meetings"]:
        expected = haversine_km(*ZIP_10001, m["latitude"], m["longitude"])
        assert abs(m["distance_km"] - expected) <= 0.001
    distances = [m["distance_km"] for m in body["meetings"]]
    assert distances == sorted(distances) and distances[-1] < 10
    assert body["total"] == 3


def test_meeting_fields(client, manhattan):
    first = meetings(client, MANHATTAN)[0]
    assert set(first) >= REQUIRED_KEYS
    assert first["name"] == "Sunrise Serenity"
    assert (first["day"], first["time"], first["end_time"]) == (3, "07:00", "08:00")
    assert first["timezone"] == "America/New_York"
    assert first["types"] == ["O"]
    assert first["attendance"] == "in_person"
    assert first["formatted_address"].endswith("New York, NY 10001, USA")
    assert first["url"] == "http://localhost/meetings/sunrise"
    assert first["fellowship"] == "aa"


def test_approximate_place_keeps_coordinates_but_no_street(client, manhattan):
    response = client.get(MANHATTAN + "&attendance=online")
    online, _hybrid = response.get_json()["meetings"]
    assert online["attendance"] == "online"
    assert (online["latitude"], online["longitude"]) == (40.78, -73.96)
    assert online["formatted_address"] == "New York, NY 10001, US"
    assert online["distance_km"] is None  # no distance to an area as if it were a room
    assert "Secret" not in response.get_data(as_text=True)


def test_radius_shrinks_the_list(client, manhattan):
    assert slugs(client, MANHATTAN.replace("radius_km=10", "radius_km=2")) == ["sunrise", "womens"]
    assert "riverdale" in slugs(client, MANHATTAN.replace("radius_km=10", "radius_km=25"))
    assert "philadelphia" not in slugs(client, MANHATTAN.replace("radius_km=10", "radius_km=25"))


def test_default_radius_is_ten_miles(client, manhattan):
    body = client.get("/api/v1/meetings?lat=40.7484&lng=-73.9967").get_json()
    assert body["radius_km"] == 16.09
    assert [m["slug"] for m in body["meetings"]] == [*manhattan, "riverdale"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("day=3", ["sunrise", "hybrid"]),
        ("day=today", ["hybrid"]),  # 10 am Wednesday: Sunrise (7-8 am) is over for today
        ("day=tomorrow", ["womens"]),
        ("day=0&day=4", ["womens"]),
        ("day=0&day=4&attendance=online", ["online"]),
        ("day=any", ["sunrise", "womens", "hybrid"]),
        ("type=W", ["womens"]),
        ("type=O&type=X", ["hybrid"]),
        ("type=ZZZ", []),
        ("attendance=online", ["online", "hybrid"]),  # hybrid meetings are online too
        ("attendance=hybrid", ["hybrid"]),
        ("attendance=in_person", ["sunrise", "womens", "hybrid"]),  # and in person
        ("attendance=in_person&attendance=hybrid", ["sunrise", "womens", "hybrid"]),
        ("fellowship=na", ["womens"]),
        ("fellowship=AA", ["sunrise"]),
        ("fellowship=AA&attendance=online", ["online"]),
        ("fellowship=alanon&fellowship=na", ["womens", "hybrid"]),
        ("time=morning", ["sunrise"]),
        ("time=midday", ["womens"]),
        ("time=evening", []),
        ("time=evening&attendance=online", ["online"]),
        ("time=night", ["hybrid"]),
        ("time=afternoon", []),
        ("day=3&time=night&attendance=hybrid", ["hybrid"]),
    ],
)
def test_filters(client, manhattan, query, expected):
    assert slugs(client, f"{MANHATTAN}&{query}") == expected


def test_today_is_what_is_still_to_come_at_the_search_centre(client, manhattan, frozen):
    frozen(dt.datetime(2025, 3, 6, 3, 0, tzinfo=dt.UTC))  # Thursday in UTC, Wednesday 22:00 EST
    found = meetings(client, f"{MANHATTAN}&day=today")
    # Sunrise (7 am) is over for today: next week's is not "today". Hybrid is running.
    assert [m["slug"] for m in found] == ["hybrid"]
    assert found[0]["in_progress"] is True
    assert found[0]["next_start"] == "2025-03-05T22:00:00-05:00"
    # Any day still lists Sunrise, a week on.
    assert "sunrise" in slugs(client, f"{MANHATTAN}&day=3")


def test_limit_and_offset_page_through_the_list(client, manhattan):
    body = client.get(MANHATTAN + "&limit=2").get_json()
    assert [m["slug"] for m in body["meetings"]] == ["sunrise", "womens"]
    assert body["total"] == 3
    assert slugs(client, MANHATTAN + "&limit=2&offset=2") == ["hybrid"]
    assert slugs(client, MANHATTAN + "&offset=10") == []


def test_limit_caps_at_two_hundred(client, session, make_meeting, frozen):
    meeting = make_meeting(slug="first")
    location = meeting.location
    for n in range(205):
        make_meeting(slug=f"m{n}", location=location, day=n % 7)
    body = client.get(MANHATTAN + "&limit=200").get_json()
    assert len(body["meetings"]) == 200 and body["total"] == 206
    assert len(meetings(client, MANHATTAN)) == 50


@pytest.mark.parametrize(
    ("now", "where", "day", "start", "end", "expected", "in_progress"),
    [
        # later today, in New York (EST, -05:00)
        (WEDNESDAY_MORNING, (40.75, -73.99), 3, "19:00", "20:00", "2025-03-05T19:00:00-05:00",
         False),
        # Sunday, after New York moves to daylight time (EDT, -04:00)
        (WEDNESDAY_MORNING, (40.75, -73.99), 0, "19:00", "20:00", "2025-03-09T19:00:00-04:00",
         False),
        # a Tuesday 23:30-00:30 meeting still running at 23:45 Tuesday night
        (dt.datetime(2025, 3, 5, 4, 45, tzinfo=dt.UTC), (40.75, -73.99), 2, "23:30", "00:30",
         "2025-03-04T23:30:00-05:00", True),
        # Phoenix keeps -07:00 all year and is in progress at 08:00
        (WEDNESDAY_MORNING, (33.45, -112.07), 3, "07:30", "08:30", "2025-03-05T07:30:00-07:00",
         True),
        (WEDNESDAY_MORNING, (33.45, -112.07), 0, "19:00", "20:00", "2025-03-09T19:00:00-07:00",
         False),
        # already over this week: next Monday in Los Angeles, after DST (PDT, -07:00)
        (WEDNESDAY_MORNING, (34.05, -118.24), 3, "06:00", "07:00", "2025-03-12T06:00:00-07:00",
         False),
    ],
)  # fmt: skip
def test_next_start_is_in_the_meetings_own_zone(
    client, make_meeting, frozen, now, where, day, start, end, expected, in_progress
):
    frozen(now)
    start_time, end_time = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
    make_meeting(slug="m", latitude=where[0], longitude=where[1], day=day, time=start_time,
                 end_time=end_time)  # fmt: skip
    (found,) = meetings(client, f"/api/v1/meetings?lat={where[0]}&lng={where[1]}&radius_km=1")
    assert found["next_start"] == expected
    assert found["in_progress"] is in_progress
    assert dt.datetime.fromisoformat(found["next_start"]).utcoffset() is not None


def test_near_a_zip_code_with_the_offline_geocoder(client, manhattan):
    body = client.get("/api/v1/meetings?near=10001&radius_km=10").get_json()
    assert body["center"] == {"lat": 40.7484, "lng": -73.9967, "label": "New York, NY 10001",
                              "approximate": False}  # fmt: skip
    assert [m["slug"] for m in body["meetings"]] == manhattan


def test_near_uses_the_online_geocoder(client, manhattan, fake_geocoder):
    fake_geocoder.places["empire state building"] = Place(40.7484, -73.9857, "Empire State")
    body = client.get("/api/v1/meetings?near=Empire State Building&radius_km=1.5").get_json()
    assert body["center"]["label"] == "Empire State"
    assert body["center"]["approximate"] is False
    assert [m["slug"] for m in body["meetings"]] == ["sunrise", "womens"]


def test_near_still_answers_when_the_online_geocoder_is_down(client, manhattan, fake_geocoder):
    fake_geocoder.down = True
    body = client.get("/api/v1/meetings?near=10001&radius_km=10").get_json()
    assert fake_geocoder.calls == ["10001"]
    assert body["center"]["approximate"] is True
    assert body["center"]["label"] == "New York, NY 10001"
    assert [m["slug"] for m in body["meetings"]] == manhattan


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Give near (a ZIP code, city or address) or both lat and lng;"),
        ("near=+++", "Give near"),
        ("lat=40.7", "lat needs lng too"),
        ("lng=-73.9", "lng needs lat too"),
        ("lat=&lng=-73.9", "lng needs lat too"),
        ("lat=91&lng=0", "lat must be between -90 and 90, not 91."),
        ("lat=-90.5&lng=0", "lat must be between -90 and 90"),
        ("lat=0&lng=180.01", "lng must be between -180 and 180"),
        ("lat=0&lng=-181", "lng must be between -180 and 180"),
        ("lat=abc&lng=0", "lat must be a number, not 'abc'."),
        ("lat=0&lng=12,5", "lng must be a number"),
        ("lat=0&lng=0x10", "lng must be a number"),
        ("lat=nan&lng=0", "lat must be a finite number"),
        ("lat=0&lng=inf", "lng must be a finite number"),
        ("lat=0&lng=-Infinity", "lng must be a finite number"),
        ("near=10001&lat=40&lng=-73", "Give either near or lat and lng, not both."),
        ("lat=0&lng=0&radius_km=-5", "radius_km must be more than 0 and at most 500."),
        ("lat=0&lng=0&radius_km=0", "radius_km must be more than 0"),
        ("lat=0&lng=0&radius_km=500.1", "at most 500"),
        ("lat=0&lng=0&radius_km=ten", "radius_km must be a number, not 'ten'."),
        ("lat=0&lng=0&radius_km=nan", "radius_km must be a finite number"),
        ("lat=0&lng=0&limit=0", "limit must be a whole number from 1 to 200, not '0'."),
        ("lat=0&lng=0&limit=201", "limit must be a whole number from 1 to 200"),
        ("lat=0&lng=0&limit=-1", "limit must be a whole number from 1 to 200"),
        ("lat=0&lng=0&limit=2.5", "limit must be a whole number from 1 to 200, not '2.5'."),
        ("lat=0&lng=0&limit=all", "limit must be a whole number"),
        ("lat=0&lng=0&offset=-1", "offset must be a whole number from 0 to 10000"),
        ("lat=0&lng=0&offset=x", "offset must be a whole number"),
        ("lat=0&lng=0&day=7", "day must be today, tomorrow, any or 0-6 (Sunday=0), not '7'"),
        ("lat=0&lng=0&day=monday", "day must be today, tomorrow, any or 0-6"),
        ("lat=0&lng=0&day=-1", "day must be"),
        ("lat=0&lng=0&type=O,W", "type must be a meeting type code such as O, C or W"),
        ("lat=0&lng=0&type=<script>", "type must be a meeting type code"),
        ("lat=0&lng=0&attendance=zoom", "attendance must be one of in_person, online, hybrid"),
        ("lat=0&lng=0&attendance=inactive", "attendance must be one of"),
        ("lat=0&lng=0&fellowship=xyz", "fellowship must be one of aa, na,"),
        ("lat=0&lng=0&time=dawn", "time must be one of morning, midday, afternoon, evening, night"),
        ("near=Nowhereville, ZZ", "No place found for near='Nowhereville, ZZ'"),
        ("near=99999", "give a 5-digit US ZIP code"),
    ],
)
def test_bad_input_answers_400_with_a_message(client, query, message):
    response = client.get(f"/api/v1/meetings?{query}")
    assert response.status_code == 400
    assert response.is_json
    assert message in response.get_json()["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "no-store"


def test_answers_are_cacheable_public_json_for_any_origin(client, manhattan):
    response = client.get(MANHATTAN)
    assert response.is_json
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers


def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_api_is_read_only(client):
    response = client.post("/api/v1/meetings?lat=0&lng=0")
    assert response.status_code == 405
    assert response.is_json


def test_demo_meetings_say_so(client, make_meeting, frozen):
    make_meeting(slug="demo-one", source=Source(kind="demo", name="Demo data"))
    make_meeting(slug="real-one")
    found = {m["slug"]: m["demo"] for m in meetings(client, MANHATTAN)}
    assert found == {"demo-one": True, "real-one": False}


def test_demo_data_around_manhattan(client, runner, frozen):
    result = runner.invoke(args=["demo-data", "--count", "400"])
    assert result.exit_code == 0, result.output
    body = client.get(MANHATTAN + "&limit=200").get_json()
    found = body["meetings"]
    assert len(found) >= 20
    distances = [m["distance_km"] for m in found]
    assert distances == sorted(distances)
    # Online-only demo meetings are based in a city, not a room: found when asked for.
    assert {m["attendance"] for m in found} == {"in_person", "hybrid"}
    online = meetings(client, MANHATTAN + "&limit=200&attendance=online")
    assert {m["attendance"] for m in online} == {"online", "hybrid"}
    for m in found:
        expected = haversine_km(*ZIP_10001, m["latitude"], m["longitude"])
        assert abs(m["distance_km"] - expected) <= 0.001
        assert m["demo"] is True
        start = dt.datetime.fromisoformat(m["next_start"])
        assert start > WEDNESDAY_MORNING or m["in_progress"]


def test_healthz_is_not_cached(client):
    response = client.get("/healthz")
    assert response.get_json()["status"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_name_that_fits_several_places_is_a_400_not_a_guess(client) -> None:
    response = client.get("/api/v1/meetings?near=Springfield")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "fits several places" in error and "Springfield, MA" in error
    assert "near='Springfield, MA'" in error or "near='Springfield, " in error
    with_state = client.get("/api/v1/meetings?near=Springfield, IL")
    assert with_state.status_code == 200
    assert with_state.get_json()["center"]["label"] == "Springfield, IL"


def test_today_after_midnight_keeps_a_meeting_from_last_night_in_progress(
    client, make_meeting, frozen
):
    make_meeting(slug="late", day=3, time=dt.time(23, 30), end_time=dt.time(0, 30))
    make_meeting(slug="wednesday-noon", day=3, time=dt.time(12, 0))
    frozen(dt.datetime(2025, 3, 6, 5, 10, tzinfo=dt.UTC))  # Thursday 12:10 am EST
    found = meetings(client, f"{MANHATTAN}&day=today")
    assert [m["slug"] for m in found] == ["late"]
    assert found[0]["in_progress"] is True


def test_today_at_night_runs_on_to_5_am(client, manhattan, make_meeting, frozen):
    make_meeting(slug="small-hours", day=4, time=dt.time(1, 0), end_time=dt.time(2, 0))
    make_meeting(slug="thursday-night", day=4, time=dt.time(22, 0))
    frozen(dt.datetime(2025, 3, 6, 3, 0, tzinfo=dt.UTC))  # Wednesday 10:00 pm EST
    assert slugs(client, f"{MANHATTAN}&day=today&time=night") == ["small-hours", "hybrid"]
    assert slugs(client, f"{MANHATTAN}&day=today") == ["hybrid"]  # without Night: midnight


@pytest.fixture
def online_here_and_there(make_meeting, frozen):
    """Wednesday 10:00 in New York is Thursday 00:00 in Tokyo."""
    make_meeting(slug="ny-noon", name="NY Noon", day=3, time=dt.time(12, 0),
                 conference_url="https://zoom.us/j/1111111111", approximate=True)  # fmt: skip
    make_meeting(slug="tokyo-morning", name="Tokyo Morning", latitude=35.68, longitude=139.69,
                 day=4, time=dt.time(7, 0), conference_url="https://zoom.us/j/2222222222",
                 approximate=True)  # fmt: skip
    make_meeting(slug="ny-room", name="NY Room", day=3, time=dt.time(11, 0))


def test_online_meetings_anywhere_need_no_centre(client, online_here_and_there) -> None:
    """A site or an app can list online meetings wherever they are based, soonest first."""
    answer = client.get("/api/v1/meetings?attendance=online")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["center"] is None and body["radius_km"] is None and body["total"] == 2
    assert [m["slug"] for m in body["meetings"]] == ["ny-noon", "tokyo-morning"]
    assert {m["distance_km"] for m in body["meetings"]} == {None}
    assert body["meetings"][0]["next_start"] == "2025-03-05T12:00:00-05:00"


def test_online_anywhere_today_is_each_meetings_own_or_the_given_clock(
    client, online_here_and_there
) -> None:
    # Each meeting's own today: Wednesday in New York, Thursday already in Tokyo.
    own = client.get("/api/v1/meetings?attendance=online&day=today").get_json()
    assert [m["slug"] for m in own["meetings"]] == ["ny-noon", "tokyo-morning"]
    # On a New York clock, Tokyo's 7:00 Thursday is 17:00 Wednesday: still today.
    ny = client.get("/api/v1/meetings?attendance=online&day=today&tz=America/New_York")
    assert [m["slug"] for m in ny.get_json()["meetings"]] == ["ny-noon", "tokyo-morning"]
    # On a Tokyo clock it is already Thursday 00:00: New York's noon is 02:00 there and
    # Tokyo's own 7:00 follows, both today; tomorrow (Friday there) has neither.
    url = "/api/v1/meetings?attendance=online&tz=Asia/Tokyo&day="
    today = client.get(url + "today").get_json()
    assert [m["slug"] for m in today["meetings"]] == ["ny-noon", "tokyo-morning"]
    assert today["timezone"] == "Asia/Tokyo"
    assert client.get(url + "tomorrow").get_json()["meetings"] == []
    # Weekdays too: Thursday on the Tokyo clock holds both, Wednesday neither.
    assert client.get(url + "4").get_json()["total"] == 2
    assert client.get(url + "3").get_json()["total"] == 0


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("attendance=in_person", "or attendance=online alone"),
        ("attendance=online&tz=Mars/Olympus", "tz must be an IANA time zone"),
        ("near=10001&tz=America/Chicago", "a place has its own time zone"),
    ],
)
def test_online_anywhere_refuses_what_it_cannot_answer(client, query, says) -> None:
    answer = client.get(f"/api/v1/meetings?{query}")
    assert answer.status_code == 400 and says in answer.get_json()["error"]
