"""Faithful listings, unusual real records: what each source says about a meeting's place,
time and way in is what its page, its result card, the API, the feed and the calendar say."""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import icalendar
import pytest

from finder.wrapped_links import service_home_page, unwrap
from tests.feeds_support import import_rows, meetings_of, run_import
from tests.test_feeds_faithful import feed, text_of

# Greater New York NA (tests/data/real/gnyr-na-bmlt.json, id 395): a room named by its
# building, its corner and its ZIP code, with no street line.
BMLT_NO_STREET = {
    "id_bigint": "395", "worldid_mixed": "00008815", "service_body_bigint": "1008",
    "weekday_tinyint": "6", "start_time": "18:00:00", "duration_time": "02:00:00",
    "formats": "O,St,WC", "format_shared_id_list": "17,27,33", "lang_enum": "en",
    "longitude": "-73.953193", "latitude": "40.812908", "published": "1",
    "meeting_name": "Build or Destroy", "location_text": "Allah School",
    "location_info": "@126th St and 7th Avenue", "location_street": "",
    "location_neighborhood": "W 120s", "location_city_subsection": "Manhattan",
    "location_municipality": "New York", "location_sub_province": "New York",
    "location_province": "NY", "location_postal_code_1": "10027", "location_nation": "USA",
    "comments": "", "train_lines": "", "bus_lines": "",
    "service_body_name": "Manhattan Area Service",
}  # fmt: skip
BMLT_FORMATS = [
    {"key_string": "O", "name_string": "Open", "world_id": "OPEN", "id": "17"},
    {"key_string": "St", "name_string": "Step", "world_id": "STEP", "id": "27"},
    {"key_string": "WC", "name_string": "Wheelchair", "world_id": "WCHR", "id": "33"},
]


def bmlt_feed(*meetings: dict[str, Any]) -> bytes:
    return json.dumps({"meetings": list(meetings), "formats": BMLT_FORMATS}).encode()


@pytest.mark.parametrize(
    "app_config", [{"SEARCH_INDEX": "sync"}, {"SEARCH_INDEX": "off"}], ids=["index", "sql"]
)
def test_a_bmlt_room_without_a_street_line_is_in_person_and_found(app, client, session):
    run_import(app, bmlt_feed(BMLT_NO_STREET), name="GNYR", fellowship="na")
    meeting = meetings_of(session, "GNYR")["395"]
    assert meeting.attendance == "in_person"

    page = text_of(client.get(f"/meetings/{meeting.slug}"))
    assert "temporarily inactive" not in page
    assert "Allah School" in page and "New York NY 10027" in page
    assert "Directions in Google Maps" in page

    found = client.get("/api/v1/meetings?lat=40.812908&lng=-73.953193&radius_km=1&day=5").get_json()
    assert [(m["slug"], m["attendance"]) for m in found["meetings"]] == [
        (meeting.slug, "in_person")
    ]
    assert feed(client)[meeting.slug]["attendance_option"] == "in_person"


def test_a_bmlt_meeting_whose_only_place_line_says_zoom_is_no_room(app, session):
    on_zoom = {**BMLT_NO_STREET, "location_text": "Zoom",
               "virtual_meeting_link": "https://zoom.us/j/81234567890"}  # fmt: skip
    run_import(app, bmlt_feed(on_zoom), name="GNYR", fellowship="na")
    assert meetings_of(session, "GNYR")["395"].attendance == "online"


def test_bmlt_transit_lines_read_in_the_pages_language(app, client, session):
    """finder writes "Trains:" and "Buses:" before BMLT's lines; a Spanish page says them in
    Spanish, and the lines themselves stay as the source wrote them."""
    riding = {
        **BMLT_NO_STREET,
        "train_lines": "2, 3 to 125th St",
        "bus_lines": "Bus Lines#@-@#M7, M102",
    }  # a server's prompt before the value
    run_import(app, bmlt_feed(riding), name="GNYR", fellowship="na")
    slug = meetings_of(session, "GNYR")["395"].slug
    english = text_of(client.get(f"/meetings/{slug}"))
    assert "Trains: 2, 3 to 125th St" in english and "Buses: M7, M102" in english
    spanish = text_of(client.get(f"/meetings/{slug}?lang=es"))
    assert "Trenes: 2, 3 to 125th St" in spanish and "Autobuses: M7, M102" in spanish
    assert "Trains:" not in spanish and "Buses:" not in spanish and "#@-@#" not in english
    assert feed(client)[slug]["location_notes"].endswith(
        "Trains: 2, 3 to 125th St\nBuses: M7, M102"
    )


# SEPIA (tests/data/real/aasepia-meeting-guide.json): the church is temporarily closed (TC)
# and the meeting goes on on Zoom. Nobody should be sent to 5725 Sprague St.
SEPIA_CLOSED_ROOM_ONLINE = {
    "name": "Germantown Agape Until It\u2019s Over Step Meeting",
    "slug": "until-its-over-step-meeting",
    "notes": "All are welcome, will read the step share and close.    Last week is a Tradition.",
    "updated": "2021-08-11 19:31:30", "day": "0", "time": "07:30", "end_time": "08:30",
    "conference_url": "https://us02web.zoom.us/j/81795171078", "conference_phone": "+13017158592",
    "types": ["C", "ONL", "ST", "TC"], "location": "Parish Center (Enter Parking Lot Rear)",
    "location_notes": "", "formatted_address": "5725 Sprague St, Philadelphia, PA 19138, USA",
    "latitude": "40.0491528", "longitude": "-75.1622677",
    "regions": ["Philadelphia County", "East Germantown"], "group": "",
}  # fmt: skip


def test_a_card_never_gives_the_closed_room_of_an_online_only_meeting(app, client):
    import_rows(app, [SEPIA_CLOSED_ROOM_ONLINE], name="SEPIA")
    slug = SEPIA_CLOSED_ROOM_ONLINE["slug"]
    results = text_of(client.get("/meetings?lat=40.049&lng=-75.162&attendance=online"))
    assert "Until It\u2019s Over" in results
    assert "Sprague" not in results and "Parish Center" not in results
    assert "Philadelphia, PA" in results

    client.post(f"/meetings/{slug}/favorite")
    saved = text_of(client.get("/me/favorites"))
    assert "Until It\u2019s Over" in saved
    assert "Sprague" not in saved and "Parish Center" not in saved

    page = text_of(client.get(f"/meetings/{slug}"))
    assert "Online only" in page and "Sprague" not in page


# Orange County AA (tests/data/real/oc-aa-tsml.json): the Zoom ID and the dial-in's note.
OC_ZOOM = {
    "id": 62979, "name": "Morning Discussion", "slug": "morning-discussion",
    "updated": "2021-08-15 09:55:06", "day": 6, "time": "07:30", "end_time": "08:30",
    "conference_url": "https://zoom.us/j/6103561035",
    "conference_url_notes": "ID 61035 61035, Password: [removed] book",
    "conference_phone": "6699006833", "conference_phone_notes": "Call",
    "types": ["O", "ONL"], "location": "ZOOM", "formatted_address": "Orange County, CA, USA",
    "approximate": "yes", "latitude": 33.7174708, "longitude": -117.8311428,
    "regions": ["ORANGE COUNTY"], "attendance_option": "online",
}  # fmt: skip
SEPIA_CLOSED = {
    **SEPIA_CLOSED_ROOM_ONLINE, "slug": "closed-no-link", "conference_url": "",
    "conference_phone": "",
}  # fmt: skip


def calendar_event(client, slug: str) -> icalendar.Event:
    response = client.get(f"/meetings/{slug}.ics")
    assert response.status_code == 200
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    return event


def test_the_calendar_event_carries_the_join_notes_the_page_shows(app, client):
    import_rows(app, [OC_ZOOM], name="OC")
    page = text_of(client.get("/meetings/morning-discussion"))
    description = str(calendar_event(client, "morning-discussion")["description"])
    for note in ("ID 61035 61035, Password: [removed] book", "Call"):
        assert note in page
        assert note in description.splitlines()


def test_the_calendar_marks_tentative_only_a_meeting_that_is_not_on(app, client):
    import_rows(app, [SEPIA_CLOSED_ROOM_ONLINE, SEPIA_CLOSED], name="SEPIA")
    goes_on_online = calendar_event(client, "until-its-over-step-meeting")
    assert "STATUS" not in goes_on_online
    assert str(goes_on_online["location"]) == "https://us02web.zoom.us/j/81795171078"
    assert str(calendar_event(client, "closed-no-link")["status"]) == "TENTATIVE"


# Greater New York NA (id 751): a street address given in parts, 11:59 pm for 90 minutes.
BMLT_MIDNIGHT = {
    "id_bigint": "751", "service_body_bigint": "1001", "weekday_tinyint": "6",
    "start_time": "23:59:00", "duration_time": "01:30:00", "formats": "O",
    "longitude": "-73.244907", "latitude": "40.723518", "published": "1",
    "meeting_name": "Midnight Hope", "location_text": "Penataquit Methodist Church",
    "location_info": "at 2nd Ave", "location_street": "107 East Main St",
    "location_municipality": "Bay Shore", "location_sub_province": "Suffolk",
    "location_province": "NY", "location_postal_code_1": "11706", "location_nation": "USA",
}  # fmt: skip


def test_the_api_gives_an_address_given_in_parts_whole(app, client):
    run_import(app, bmlt_feed(BMLT_MIDNIGHT), name="GNYR", fellowship="na")
    found = client.get("/api/v1/meetings?lat=40.723518&lng=-73.244907&radius_km=1").get_json()
    (meeting,) = found["meetings"]
    assert meeting["formatted_address"] == "107 East Main St, Bay Shore, NY 11706, US"
    assert (meeting["day"], meeting["time"], meeting["end_time"]) == (5, "23:59", "01:29")


# SEPIA, St Paul's Episcopal Church Library: one meeting in the room, two gone to Zoom while
# the room is closed (TC), and (made up from them) one closed with no link: not meeting.
CHESTNUT_HILL = {
    "location": "St Paul's Episcopal Church Library (D25)",
    "formatted_address": "22 E Chestnut Hill Ave, Philadelphia, PA 19118, USA",
    "latitude": "40.0790389", "longitude": "-75.2085688",
}  # fmt: skip
CHESTNUT_HILL_ROWS = [
    {**CHESTNUT_HILL, "name": "Chestnut Hill Local", "day": "5", "time": "20:00",
     "slug": "meeting-22-e-chestnut-hill-ave-philadelphia-pa-19118-usa-5-200000",
     "types": ["C", "SP"]},
    {**CHESTNUT_HILL, "name": "Saturday Serenity", "day": "6", "time": "09:30",
     "slug": "meeting-22-e-chestnut-hill-ave-philadelphia-pa-19118-usa-6-093000",
     "conference_url": "https://us02web.zoom.us/j/87283315105",
     "conference_phone": "+19292056099", "types": ["O", "B", "ONL", "TC"]},
    {**CHESTNUT_HILL, "name": "Bottom of the Hill", "day": "6", "time": "19:00",
     "slug": "meeting-22-e-chestnut-hill-ave-philadelphia-pa-19118-usa-6-190000",
     "conference_url": "https://us02web.zoom.us/j/422311703",
     "conference_phone": "+19292056099", "types": ["O", "D", "ONL", "TC"]},
    {**CHESTNUT_HILL, "name": "Sunday Closed Doors", "day": "0", "time": "10:00",
     "slug": "closed-doors", "types": ["O", "TC"]},
]  # fmt: skip


def test_other_meetings_here_are_only_those_people_go_to_here(app, client):
    import_rows(app, CHESTNUT_HILL_ROWS, name="SEPIA")
    local = CHESTNUT_HILL_ROWS[0]["slug"]
    page = text_of(client.get(f"/meetings/{local}"))
    assert "Chestnut Hill Local" in page and "Other meetings here" not in page
    # Each meeting's own page still says what it is.
    assert "Online only" in text_of(client.get(f"/meetings/{CHESTNUT_HILL_ROWS[1]['slug']}"))

    import_rows(app, CHESTNUT_HILL_ROWS[1:], name="SEPIA")  # the room's own meeting leaves
    gone = client.get(f"/meetings/{local}")
    assert gone.status_code == 410
    assert "Meetings at the same place" not in text_of(gone)


# Orange County AA: the church is closed (TC), the meeting is on Zoom; the room's own note
# says where in the church it used to meet.
OC_CLOSED_ROOM_ONLINE = {
    "id": 62495, "name": "Women's Principles Before Personalities (WHTR)",
    "slug": "womens-principles-before-personalities-whtr",
    "notes": "Meeting continues to be in Zoom until further notice.\nMonthly Business meeting "
    "the 3rd Thursday of each month.", "day": 4, "time": "19:00", "end_time": "20:00",
    "conference_url": "https://zoom.us/j/2642109395",
    "conference_url_notes": "ID 2642109395 - Password: [removed]",
    "types": ["12x12", "C", "TC", "ST", "TR", "W", "ONL"],
    "location": "East Whittier Friends Church",
    "location_notes": "Meeting located in the Church Basement as of 11/3/2021",
    "formatted_address": "15911 Whittier Blvd, Whittier, CA 90603, USA", "approximate": "no",
    "latitude": 33.9436663, "longitude": -117.9899477, "regions": ["WHITTIER"],
    "attendance_option": "online",
}  # fmt: skip


def test_an_online_only_page_gives_no_directions_inside_its_closed_room(app, client):
    import_rows(app, [OC_CLOSED_ROOM_ONLINE], name="OC")
    page = text_of(client.get(f"/meetings/{OC_CLOSED_ROOM_ONLINE['slug']}"))
    assert "Online only" in page and "The group is based in Whittier, CA." in page
    assert "Church Basement" not in page
    assert "Meeting continues to be in Zoom until further notice." in page


# SEPIA: a room's noon meeting, and an online one at noon whose "place" is Philadelphia's
# placeholder point at City Hall, 1 km away.
SEPIA_ROOM_NOON = {
    "name": "Noon Meditation", "slug": "noon-meditation-walnut", "day": "1", "time": "12:00",
    "types": ["O", "MED"], "location": "Holy Trinity Church (D27)",
    "formatted_address": "1904 Walnut St, Philadelphia, PA 19103, USA",
    "latitude": "39.9502352", "longitude": "-75.1732757",
}  # fmt: skip
SEPIA_VIRTUAL_NOON = {
    "name": "Friends of Bill", "slug": "friends-bill-virtual-aa-meetings", "day": "1",
    "time": "12:00", "end_time": "13:00",
    "conference_url": "https://global.gotomeeting.com/join/513436317",
    "types": ["C", "D", "ONL", "ST"], "location": "Virtual Only",
    "formatted_address": "Philadelphia, PA, USA",
    "latitude": "39.9525839", "longitude": "-75.1652215",
}  # fmt: skip


def test_a_gone_meetings_alternatives_say_when_they_are_online(app, client):
    import_rows(app, [SEPIA_ROOM_NOON, SEPIA_VIRTUAL_NOON], name="SEPIA")
    import_rows(app, [SEPIA_VIRTUAL_NOON], name="SEPIA")
    gone = client.get(f"/meetings/{SEPIA_ROOM_NOON['slug']}")
    assert gone.status_code == 410
    page = text_of(gone)
    assert "Meetings at the same time nearby Friends of Bill Monday 12:00 pm · Online" in page


# SEPIA's Sunrise Semester (its notes give "+16465588656,,901964988#"), with its dial-in
# written the way people type it into a conference_phone field.
SEPIA_SUNRISE = {
    "name": "Sunrise Semester", "slug": "meeting-1904-walnut-st-philadelphia-pa-19103-usa-0-080000",
    "day": "0", "time": "08:00", "end_time": "09:00",
    "conference_url": "https://zoom.us/j/901964988", "types": ["O", "ONL"],
    "location": "Holy Trinity Church (D27)",
    "formatted_address": "1904 Walnut St, Philadelphia, PA 19103, USA",
    "latitude": "39.9502352", "longitude": "-75.1732757",
}  # fmt: skip


@pytest.mark.parametrize(
    ("written", "dialled", "shown"),
    [
        ("+1 646 558 8656 Meeting ID: 901 964 988", "tel:+16465588656", "+1 646-558-8656"),
        ("(646) 558-8656 or (312) 626-6799", "tel:6465588656", "(646) 558-8656"),
        ("+1 646 558 8656,,901964988# (Meeting ID 901 964 988)",
         "tel:+16465588656,,901964988%23", "+1 646-558-8656"),
    ],
)  # fmt: skip
def test_a_dial_in_written_with_words_dials_its_number_and_keeps_the_words(
    app, client, written, dialled, shown
):
    import_rows(app, [{**SEPIA_SUNRISE, "conference_phone": written}], name="SEPIA")
    response = client.get(f"/meetings/{SEPIA_SUNRISE['slug']}")
    assert f'href="{dialled}"' in response.get_data(as_text=True)
    page = text_of(response)
    assert f"Call in: {shown}" in page and written in page
    description = str(calendar_event(client, SEPIA_SUNRISE["slug"])["description"])
    assert f"Call in: {shown}" in description and written in description


def test_a_join_link_written_with_words_is_still_the_way_in(app, client, session):
    # The closed room's Zoom meeting, its passcode (from its notes) typed after the link.
    written = "https://us02web.zoom.us/j/81795171078 PW 1903"
    row = {**SEPIA_CLOSED_ROOM_ONLINE, "conference_url": written, "conference_phone": ""}
    import_rows(app, [row], name="SEPIA")
    meeting = meetings_of(session, "SEPIA")[row["slug"]]
    assert meeting.attendance == "online"
    response = client.get(f"/meetings/{row['slug']}")
    assert 'href="https://us02web.zoom.us/j/81795171078"' in response.get_data(as_text=True)
    page = text_of(response)
    assert "The meeting continues online." in page and written in page


def test_the_api_gives_no_distance_to_a_closed_room_whose_meeting_is_online(app, client):
    import_rows(app, [SEPIA_CLOSED_ROOM_ONLINE, CHESTNUT_HILL_ROWS[0]], name="SEPIA")
    found = client.get(
        "/api/v1/meetings?lat=40.0491528&lng=-75.1622677&radius_km=10&attendance=online"
        "&attendance=in_person"
    ).get_json()
    distances = {m["slug"]: (m["attendance"], m["distance_km"]) for m in found["meetings"]}
    assert distances[SEPIA_CLOSED_ROOM_ONLINE["slug"]] == ("online", None)
    attendance, distance = distances[CHESTNUT_HILL_ROWS[0]["slug"]]
    assert attendance == "in_person" and 4 < distance < 6


def test_the_google_calendar_link_carries_the_join_notes_too(app, client):
    import_rows(app, [OC_ZOOM], name="OC")
    page = client.get("/meetings/morning-discussion").get_data(as_text=True)
    google = next(
        html.unescape(h) for h in re.findall(r'href="([^"]+)"', page) if "calendar.google" in h
    )
    details = parse_qs(urlsplit(google).query)["details"][0].splitlines()
    assert "ID 61035 61035, Password: [removed] book" in details and "Call" in details
    assert "Join online: https://zoom.us/j/6103561035" in details


def test_a_gone_online_only_meeting_is_not_said_to_be_last_held_in_its_closed_room(app, client):
    import_rows(app, [SEPIA_CLOSED_ROOM_ONLINE, SEPIA_ROOM_NOON], name="SEPIA")
    import_rows(app, [SEPIA_ROOM_NOON], name="SEPIA")
    gone = client.get(f"/meetings/{SEPIA_CLOSED_ROOM_ONLINE['slug']}")
    assert gone.status_code == 410
    page = text_of(gone)
    assert "no longer listed" in page and "Sprague" not in page


def test_a_closed_room_with_no_way_to_join_gets_no_directions(app, client):
    import_rows(app, CHESTNUT_HILL_ROWS, name="SEPIA")
    closed = text_of(client.get("/meetings/closed-doors"))
    assert "temporarily inactive" in closed and "22 E Chestnut Hill Ave" in closed
    assert "Directions in Google Maps" not in closed
    local = text_of(client.get(f"/meetings/{CHESTNUT_HILL_ROWS[0]['slug']}"))
    assert "Directions in Google Maps" in local


SAFE_LINK = (
    "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fus02web.zoom.us%2Fj%2F"
    "81795171078%3Fpwd%3Dabc&data=05%7C01%7C%7Cc0ffee&sdata=xyz%3D&reserved=0"
)


@pytest.mark.parametrize(
    ("wrapped", "inner"),
    [
        (SAFE_LINK, "https://us02web.zoom.us/j/81795171078?pwd=abc"),
        ("https://www.google.com/url?q=https://zoom.us/j/123&sa=D&ust=1",
         "https://zoom.us/j/123"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fmeet.google.com%2Fabc-defg-hij&h=AT0",
         "https://meet.google.com/abc-defg-hij"),
        # Google's redirect of a Safe Links address: both taken off.
        ("https://www.google.com/url?q=" + quote(SAFE_LINK, safe=""),
         "https://us02web.zoom.us/j/81795171078?pwd=abc"),
        # Proofpoint's URL Defense: SEPIA's Langhorne meeting has the first, cut short.
        ("https://urldefense.com/v3/__https://us02web.zoom.us/j/82825566444",
         "https://us02web.zoom.us/j/82825566444"),
        ("https://urldefense.com/v3/__https://zoom.us/j/123?pwd=abc__;!!BhdT!xyz$",
         "https://zoom.us/j/123?pwd=abc"),
        ("https://urldefense.proofpoint.com/v2/url?u=https-3A__zoom.us_j_123-3Fpwd-3Dabc&d=DwM",
         "https://zoom.us/j/123?pwd=abc"),
        # A "*" stands for a character moved into the code: not read back, the address kept.
        ("https://urldefense.com/v3/__https://zoom.us/j/1*2__;Iw!!x$", None),
        ("https://zoom.us/j/123?url=https://elsewhere.example", None),  # no checker: as it is
        ("https://www.google.com/maps?q=https://zoom.us/j/1", None),  # Google, not its redirect
    ],
)  # fmt: skip
def test_a_link_wrapped_by_a_mail_programs_checker_is_the_link_inside(wrapped, inner):
    assert unwrap(wrapped) == (inner or wrapped)


@pytest.mark.parametrize(
    "dead",
    [
        "https://gcc02.safelinks.protection.outlook.com/",  # as a real feed (SEPIA) has it
        "https://nam02.safelinks.protection.outlook.com/?url=&data=05",
        "https://www.google.com/url?q=not-a-link",
        "https://l.facebook.com/l.php?u=javascript%3Aalert(1)",
        "https://urldefense.com/v3/",
    ],
)
def test_a_checkers_address_with_no_link_inside_joins_nothing(dead):
    assert unwrap(dead) is None


def test_an_imported_meeting_joins_by_the_link_inside_the_checkers(app, client, session):
    wrapped = {**SEPIA_CLOSED_ROOM_ONLINE, "conference_url": SAFE_LINK}
    # Fishtown's Saturday meeting in SEPIA's feed: the checker's bare address and a phone.
    dead = {
        **SEPIA_CLOSED_ROOM_ONLINE, "slug": "fishtown", "name": "Fishtown",
        "conference_url": "https://gcc02.safelinks.protection.outlook.com/",
    }  # fmt: skip
    report = import_rows(app, [wrapped, dead], name="SEPIA")
    inner = "https://us02web.zoom.us/j/81795171078?pwd=abc"
    page = client.get(f"/meetings/{wrapped['slug']}").get_data(as_text=True)
    assert f'href="{inner}"' in page and "safelinks" not in page
    event = calendar_event(client, wrapped["slug"])
    assert str(event["location"]) == inner and inner in str(event["description"])
    fishtown = client.get("/meetings/fishtown")
    assert "safelinks" not in fishtown.get_data(as_text=True)
    assert "leads to an email program's safety check, not to the meeting" in text_of(fishtown)
    assert "Call in: +1 301-715-8592" in text_of(fishtown)  # still joined by phone
    found = client.get(
        "/api/v1/meetings?lat=40.0491528&lng=-75.1622677&radius_km=5&attendance=online"
    ).get_json()
    links = {m["slug"]: m["conference_url"] for m in found["meetings"]}
    assert links == {wrapped["slug"]: inner, "fishtown": None}
    assert [(w.slug, w.reason) for w in report.warnings] == [
        (
            "fishtown",
            "conference_url is a mail program's click-checker address with no link inside; "
            "kept as given, pages show no link for it: check it at the source",
        )
    ]
    # finder's feed says what its source said: a site reading it sees the source's link.
    published = feed(client)
    assert published[wrapped["slug"]]["conference_url"] == SAFE_LINK
    assert meetings_of(session, "SEPIA")["fishtown"].attendance == "online"


# SEPIA: 13 meetings named "... (Online Only)" keep their club's address and a link; one more
# says "Phone Only- Step 11 / No Face to Face" in its notes. Nobody meets at those rooms.
SEPIA_ONLINE_ONLY_BY_NAME = {
    "name": "Upper Darby (Online Only)", "slug": "upper-darby-online-only", "day": "1",
    "time": "18:30", "end_time": "19:30", "types": ["C", "LIT", "ONL"], "notes": "",
    "location": "7109 Club (D31)",
    "formatted_address": "7109 West Chester Pike, Upper Darby, PA 19082, USA",
    "latitude": "39.9589", "longitude": "-75.2709",
    "conference_url": "https://www.gotomeet.me/UDGAA", "conference_phone": "+14086503123",
}  # fmt: skip
SEPIA_PHONE_ONLY_BY_NOTES = {
    **SEPIA_ONLINE_ONLY_BY_NAME, "name": "On Awakening", "slug": "on-awakening",
    "conference_url": "", "notes": "Phone Only- Step 11 / No Face to Face",
}  # fmt: skip
HYBRID_WITH_A_NOTE = {
    **SEPIA_ONLINE_ONLY_BY_NAME, "name": "Upper Darby Step", "slug": "upper-darby-step",
    "notes": "In the back room; online only on holidays.",
}  # fmt: skip


def test_a_listing_that_says_online_only_sends_nobody_to_its_room(app, client, session):
    rows = [SEPIA_ONLINE_ONLY_BY_NAME, SEPIA_PHONE_ONLY_BY_NOTES, HYBRID_WITH_A_NOTE]
    report = import_rows(app, rows, name="SEPIA")
    warned = [str(w) for w in report.warnings]
    assert sum("say it meets online only" in w for w in warned) == 2
    meetings = meetings_of(session, "SEPIA")
    assert meetings["upper-darby-online-only"].attendance == "online"
    assert meetings["on-awakening"].attendance == "online"
    assert meetings["upper-darby-step"].attendance == "hybrid"  # "online only on holidays"

    page = text_of(client.get("/meetings/upper-darby-online-only"))
    assert "Online only" in page and "Directions in Google Maps" not in page
    assert "Its listing also gives a place, 7109 Club (D31), 7109 West Chester Pike" in page
    assert "Directions in Google Maps" in text_of(client.get("/meetings/upper-darby-step"))

    near = "/api/v1/meetings?lat=39.9589&lng=-75.2709&radius_km=5"
    in_person = client.get(near + "&attendance=in_person").get_json()["meetings"]
    assert [m["slug"] for m in in_person] == ["upper-darby-step"]
    online = {m["slug"]: m for m in client.get(near + "&attendance=online").get_json()["meetings"]}
    assert online["upper-darby-online-only"]["distance_km"] is None
    assert online["upper-darby-online-only"]["attendance"] == "online"
    # finder's feed gives it as its source does: the reading above is finder's own.
    assert feed(client)["upper-darby-online-only"]["attendance_option"] == "hybrid"


@pytest.mark.parametrize(
    ("url", "service"),
    [
        ("https://zoom.us", "Zoom"),  # Orange County's "Badge 2 Badge" meeting
        ("https://us02web.zoom.us/", "Zoom"),
        ("http://www.gotomeeting.com", "GoTo Meeting"),  # a SEPIA meeting
        ("https://meet.google.com", "Google Meet"),
        ("https://zoom.us/j/81234567890", None),
        ("https://www.gotomeet.me/UDGAA", None),  # a meeting room's own address
        ("https://zoom.us/?pwd=1", None),
        ("https://notzoom.us", None),
    ],
)
def test_a_meeting_services_home_page_is_known(url, service):
    assert service_home_page(url) == service


def test_a_home_page_for_a_join_link_is_not_offered_as_one(app, client, session):
    """A listing giving "https://zoom.us": the Join button would open Zoom's home page."""
    home = {**SEPIA_ONLINE_ONLY_BY_NAME, "name": "Badge 2 Badge", "slug": "badge-2-badge",
            "conference_url": "https://zoom.us",
            "conference_phone": "+16699006833,,123#"}  # fmt: skip
    report = import_rows(app, [home], name="OC")
    assert any("conference_url is Zoom's home page" in str(w) for w in report.warnings)
    page = client.get("/meetings/badge-2-badge").get_data(as_text=True)
    assert "opens Zoom's home page, not a meeting" in page
    assert "Join the meeting online" not in page and 'href="https://zoom.us"' not in page
    assert "Call in:" in page  # the phone still joins
    api = client.get("/api/v1/meetings?lat=39.9589&lng=-75.2709&radius_km=5&attendance=online")
    (shown,) = api.get_json()["meetings"]
    assert shown["conference_url"] is None
    assert feed(client)["badge-2-badge"]["conference_url"] == "https://zoom.us"  # as given
