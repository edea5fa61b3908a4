"""Reading feeds: format detection and every quirk of real feeds, row by row (no database)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from finder.feeds import clean
from finder.feeds.detect import FeedFormatError, detect, parse_feed
from finder.feeds.record import FeedMeeting, RowError
from tests.feeds_support import DATA, GNYR_BMLT, OC_TSML, SEPIA


def parse_rows(rows: list[object]) -> dict[str, FeedMeeting]:
    parsed = parse_feed(json.dumps(rows).encode())
    assert parsed.rejected == [], parsed.rejected
    return {m.key: m for m in parsed.meetings}


def one(**row: object) -> FeedMeeting:
    base: dict[str, object] = {"name": "M", "slug": "m", "day": 1, "time": "19:00",
                               "latitude": 40.7, "longitude": -74.0}  # fmt: skip
    meetings = parse_rows([{**base, **row}])
    assert len(meetings) == 1
    return next(iter(meetings.values()))


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (SEPIA, "meeting-guide"),
        (OC_TSML, "meeting-guide"),
        (GNYR_BMLT, "bmlt"),
        (DATA / "bmlt-excerpt.json", "bmlt"),
        (DATA / "table.csv", "csv"),
    ],
)
def test_format_is_detected(path, kind):
    assert detect(path.read_text("utf-8"))[0] == kind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"data": []}', "without a list of meetings"),
        ('"just a string"', "neither Meeting Guide JSON"),
        ("<html><body>Moved</body></html>", "neither Meeting Guide JSON"),
        ("a,b,c\n1,2,3\n", "neither Meeting Guide JSON"),
    ],
)
def test_unreadable_feeds_say_what_they_are_not(text, message):
    with pytest.raises(FeedFormatError, match=message):
        detect(text)


def test_bmlt_as_a_bare_list_is_recognised():
    rows = [{"id_bigint": "9", "meeting_name": "Just For Today", "weekday_tinyint": "2",
             "start_time": "19:00:00", "duration_time": "01:30:00", "formats": "O,WC",
             "latitude": "40.7", "longitude": "-74.0"}]  # fmt: skip
    kind, converted = detect(json.dumps(rows))
    assert kind == "bmlt"
    assert converted[0]["types"] == ["O", "X"]


def test_day_and_coordinates_as_strings():
    meeting = one(day="4", latitude="39.8702244", longitude="-75.3563341")
    assert meeting.day == 4
    assert (meeting.place.latitude, meeting.place.longitude) == (39.8702244, -75.3563341)


def test_day_array_gives_one_meeting_per_day_with_stable_keys():
    meetings = parse_rows([{"name": "M", "slug": "multi", "day": [5, "1", 3], "time": "07:00",
                            "latitude": 40.7, "longitude": -74.0}])  # fmt: skip
    assert sorted(meetings) == ["multi-1", "multi-3", "multi-5"]
    assert [meetings[k].day for k in sorted(meetings)] == [1, 3, 5]
    assert meetings["multi-3"].slug == "multi-3"


def test_day_array_of_one_day_is_a_plain_meeting():
    meetings = parse_rows([{"name": "M", "slug": "single", "day": ["2"], "time": "07:00",
                            "latitude": 40.7, "longitude": -74.0}])  # fmt: skip
    assert list(meetings) == ["single"]
    assert meetings["single"].day == 2


@pytest.mark.parametrize(
    ("time", "end_time", "expected_end"),
    [
        ("19:00", None, None),
        ("23:30", "", None),
        ("23:59", None, None),  # midnight-howlers: never an end at 00:59, before its start
        ("19:30", "20:45", dt.time(20, 45)),
        ("19:30:00", "21:00:00", dt.time(21, 0)),
    ],
)
def test_an_end_time_is_kept_only_when_given(time, end_time, expected_end):
    assert one(time=time, end_time=end_time).end_time == expected_end


def test_unknown_type_codes_are_kept_as_given():
    meeting = one(types=["O", "XYZ", "ONL", "Rotating Format", "O"])
    assert meeting.types == ["O", "XYZ", "ONL", "Rotating Format"]


def test_types_as_a_comma_separated_string():
    assert one(types="O, BE").types == ["O", "BE"]


STREET = "1 Main St, New York, NY 10001"


@pytest.mark.parametrize(
    ("row", "attendance"),
    [
        # ONL without a link is not online: there is nothing to join.
        ({"types": ["ONL"], "formatted_address": STREET}, "in_person"),
        ({"types": ["ONL", "TC"], "formatted_address": STREET}, "inactive"),
        ({"types": ["ONL"], "formatted_address": "New York, NY", "approximate": "yes"}, "inactive"),
        ({"types": ["O"], "formatted_address": STREET}, "in_person"),
        ({"types": ["TC"], "formatted_address": STREET}, "inactive"),
        ({"conference_url": "https://zoom.us/j/1", "formatted_address": STREET}, "hybrid"),
        (
            {"conference_url": "https://zoom.us/j/1", "types": ["TC"], "formatted_address": STREET},
            "online",
        ),
        # An address naming no street is an area, not a room.
        ({"conference_url": "https://zoom.us/j/1", "formatted_address": "Virtual Only"}, "online"),
        (
            {"conference_phone": "+12155550100", "formatted_address": "Philadelphia, PA, USA"},
            "online",
        ),
        ({"formatted_address": "Philadelphia, PA, USA"}, "inactive"),
    ],
)
def test_attendance_is_derived_as_the_spec_says(row, attendance):
    assert one(**row).attendance == attendance


@pytest.mark.parametrize(
    ("option", "place", "derived"),
    [
        ("in_person", {"approximate": "yes", "formatted_address": "Irvine, CA, USA"}, "online"),
        ("hybrid", {"approximate": "yes", "formatted_address": "Orange County, CA"}, "online"),
        ("online", {"approximate": "no", "formatted_address": STREET}, "hybrid"),
        ("inactive", {"approximate": "no", "formatted_address": STREET}, "hybrid"),
    ],
)
def test_tsml_attendance_option_never_makes_an_area_a_room(option, place, derived):
    meeting = one(attendance_option=option, conference_url="https://zoom.us/j/1", **place)
    assert meeting.attendance == derived
    assert meeting.attendance_option == ""  # derived again wherever it is read
    assert any("attendance_option" in w for w in meeting.warnings)


@pytest.mark.parametrize(
    ("given", "address", "approximate"),
    [
        ("yes", STREET, True),
        ("no", "UCI Campus, Irvine, CA 92697", False),  # a named place with a point
        (None, STREET, False),
        (None, "Philadelphia, PA, USA", True),
        (None, "Orange County, CA 92708", True),
        (None, "Virtual Only, Philadelphia, PA, USA", True),
        (None, "Zoom", True),
        (None, "19103", True),
        (None, "St. Paul, MN, USA", True),
        (None, "1906 Rittenhouse Square, Philadelphia, PA 19103, USA", False),
        (None, "325 Cherry St. Philadelphia, PA 19106", False),
        (None, "St. Mark's Church, Philadelphia, PA 19103, USA", False),
        (None, "Hartford, CT 06103, USA", True),
    ],
)
def test_approximate_is_the_sources_word_else_whether_a_street_is_named(
    given, address, approximate
):
    assert one(approximate=given, formatted_address=address).place.approximate is approximate


def test_html_is_stripped_from_text_fields():
    meeting = one(
        name="Html &amp; Notes",
        notes="<p>Side <b>door</b> &amp; up.</p><p>Bring a <a href='x'>book</a><br>Coffee</p>",
        location_notes="<em>Ring</em> the bell",
        group="<strong>Side Door</strong> Group",
        conference_url_notes="ID&nbsp;123",
    )
    assert meeting.name == "Html & Notes"
    assert meeting.notes == "Side door & up.\n\nBring a book\nCoffee"
    assert meeting.place.notes == "Ring the bell"
    assert meeting.group == "Side Door Group"
    assert meeting.conference_url_notes == "ID 123"


@pytest.mark.parametrize(
    "odd",
    [
        {"name": ["x"], "slug": {"a": 1}, "day": 1, "time": "19:00"},
        {"name": "n", "slug": "s", "day": {"x": 1}, "time": "19:00"},
        {"name": "n", "slug": "s", "day": 1, "time": ["19:00"]},
        {"name": "n", "slug": "s", "day": True, "time": 1900, "end_time": 19.5},
        {"name": "n", "slug": "s", "day": 1, "time": "19:00", "latitude": "NaN",
         "longitude": "inf", "types": [{"a": 1}, None, 3], "regions": {"a": "b"},
         "formatted_address": {"x": 1}, "approximate": ["yes"], "attendance_option": 7,
         "conference_phone": {"p": 1}, "conference_url": ["https://zoom.us/j/1"]},
    ],
)  # fmt: skip
def test_values_of_unexpected_types_never_stop_the_import(odd):
    parsed = parse_feed(json.dumps([odd, {"name": "ok", "slug": "ok", "day": 1,
                                          "time": "19:00"}]).encode())  # fmt: skip
    assert [m.key for m in parsed.meetings][-1] == "ok"
    assert len(parsed.meetings) + len(parsed.rejected) == 2
    for meeting in parsed.meetings:
        assert meeting.place.regions == [] and meeting.types in ([], ["3"])


def test_nul_characters_are_dropped():
    assert one(name="Bad\x00Byte", notes="a\x00b").name == "BadByte"


def test_plain_text_with_ampersands_and_angles_is_left_alone():
    assert one(notes="Steps 1, 2, & 3 with speaker; 3 < 4").notes == (
        "Steps 1, 2, & 3 with speaker; 3 < 4"
    )


def test_integer_slug_and_timezone():
    meeting = one(slug=12345, timezone="America/Chicago")
    assert (meeting.key, meeting.slug) == ("12345", "12345")
    assert meeting.place.timezone == "America/Chicago"


def test_regions_from_region_and_sub_region():
    assert one(region="Orange County", sub_region="Irvine").place.regions == [
        "Orange County", "Irvine"
    ]  # fmt: skip


def test_conference_phone_keeps_one_tap_characters():
    assert one(conference_phone="+1 (669) 900-6833,,98765#").conference_phone == (
        "+16699006833,,98765#"
    )


def test_zero_coordinates_count_as_missing():
    assert not one(latitude="0", longitude="0").place.has_point


def test_us_formatted_address_is_split_into_parts():
    place = one(formatted_address="1937 MacDade Boulevard, Woodlyn, PA 19094, USA").place
    assert (place.address, place.city, place.state, place.postal_code, place.country) == (
        "1937 MacDade Boulevard", "Woodlyn", "PA", "19094", "US"
    )  # fmt: skip


@pytest.mark.parametrize(
    "slug",
    [
        "meeting-" + "very-long-address-" * 8,  # SEPIA's are up to 151 characters
        "shoulder-shoulder-group-Sun12am",
        "hartsville-group-",
        "a b/c?d#e%f",
        12345,
    ],
)
def test_slugs_are_kept_exactly_as_the_feed_gives_them(slug):
    assert one(slug=slug).slug == str(slug)


def test_the_quirks_file_rejects_each_bad_row_with_index_slug_and_reason():
    parsed = parse_feed((DATA / "quirks-meeting-guide.json").read_bytes())
    reasons = {(r.index, r.slug): r.reason for r in parsed.rejected}
    assert reasons == {
        (13, ""): "has no slug",
        (14, "no-name"): "has no name",
        (15, "day-eight"): "day 8 is not 0 (Sunday) to 6 (Saturday)",
        (16, "bad-time"): "time '25:99' is not a time of day",
        (17, "day-no-time"): "has a day but no time",
        (19, "string-day"): "duplicate slug 'string-day': index 0 has it already",
        (20, ""): "is not a JSON object",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [("19:30", dt.time(19, 30)), ("7:30 PM", dt.time(19, 30)), ("7pm", dt.time(19, 0)),
     ("12:00 am", dt.time(0, 0)), ("12:15 PM", dt.time(12, 15)), ("24:00", dt.time(0, 0)),
     ("noon", dt.time(12, 0)), ("", None), (None, None)],
)  # fmt: skip
def test_times_are_read_tolerantly(value, expected):
    assert clean.parse_time(value) == expected


@pytest.mark.parametrize("value", ["25:00", "7:75", "13:00 pm", "soon"])
def test_nonsense_times_are_errors(value):
    with pytest.raises(RowError):
        clean.parse_time(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), ("6", 6), ("Sunday", 0), ("wed", 3), ("Sábado", 6), (4.0, 4), ("", None)],
)
def test_days_are_read_tolerantly(value, expected):
    assert clean.parse_day(value) == expected


def test_bmlt_weekdays_times_and_formats():
    parsed = parse_feed((DATA / "bmlt-excerpt.json").read_bytes())
    assert parsed.rejected == []
    by_key = {m.key: m for m in parsed.meetings}
    macho = by_key["2"]  # weekday_tinyint 7, 14:00 for 01:30, formats M,O,St
    assert (macho.day, macho.time, macho.end_time) == (6, dt.time(14, 0), dt.time(15, 30))
    assert macho.types == ["M", "O", "ST"]
    assert macho.slug == "nothing-macho-2"
    assert macho.place.city == "New York"
    assert macho.place.regions == ["Bronx", "Norwood"]
    assert by_key["7"].day == 0  # weekday_tinyint 1 is Sunday
    assert by_key["7"].types == ["BE", "O", "X"]  # Beginners -> Newcomer, Wheelchair -> X
    assert "S" in by_key["32"].types  # Espanol -> Spanish
    assert by_key["2288"].types == []


def test_bmlt_formats_without_a_twin_keep_their_name():
    parsed = parse_feed((DATA / "bmlt-excerpt.json").read_bytes())
    jft = next(m for m in parsed.meetings if m.key == "1055")
    # Just for Today is a literature study: Literature, and its own name for the page.
    assert jft.types == ["LIT", "Just for Today", "Round Robin"]


def test_bmlt_virtual_meeting_fields_and_bad_rows():
    feed = {"meetings": [
        {"id_bigint": "1", "meeting_name": "Online NA", "weekday_tinyint": "3",
         "start_time": "20:00:00", "duration_time": "01:00:00", "formats": "VM",
         "latitude": "40.7", "longitude": "-74.0", "venue_type": "2",
         "virtual_meeting_link": "https://zoom.us/j/42", "phone_meeting_number": "+1 646 558 8656"},
        {"id_bigint": "2", "meeting_name": "No Day", "weekday_tinyint": "9",
         "start_time": "20:00:00", "latitude": "40.7", "longitude": "-74.0"},
        {"id_bigint": "3", "meeting_name": "Hidden", "weekday_tinyint": "2", "published": "0",
         "start_time": "20:00:00", "latitude": "40.7", "longitude": "-74.0"},
    ], "formats": [{"key_string": "VM", "name_string": "Virtual", "world_id": "VM"}]}  # fmt: skip
    parsed = parse_feed(json.dumps(feed).encode())
    online = parsed.meetings[0]
    assert online.types == ["ONL"]
    assert online.conference_url == "https://zoom.us/j/42"
    assert online.conference_phone == "+16465588656"
    assert online.attendance == "online"
    assert online.place.approximate
    assert [(r.index, r.reason) for r in parsed.rejected] == [
        (1, "weekday_tinyint '9' is not 1 (Sunday) to 7 (Saturday)"),
        (2, "not published by the BMLT server"),
    ]


def test_csv_table_with_plain_language_headers():
    parsed = parse_feed((DATA / "table.csv").read_bytes())
    by_key = {m.key: m for m in parsed.meetings}
    early = by_key["early-risers"]
    assert (early.day, early.time, early.end_time) == (1, dt.time(7, 0), dt.time(8, 0))
    assert early.types == ["O", "D", "X"]
    assert early.place.regions == ["Chittenden", "Burlington"]
    assert early.place.postal_code == "05401"
    assert early.group == "Early Risers Group"
    women = by_key["womens-step"]
    assert (women.day, women.time, women.end_time) == (3, dt.time(19, 30), None)
    assert women.types == ["W", "ST", "C"]
    assert women.attendance == "hybrid"
    assert by_key["sabado-es"].day == 6
    assert by_key["sabado-es"].types == ["S", "O"]
    no_id = next(m for m in parsed.meetings if m.name == "No Id Row")
    assert no_id.types == ["B"]
    assert no_id.slug == "no-id-row-friday-6-00-pm-5-elm-st"  # from name, day, time, address
    assert [(r.index, r.slug, r.reason) for r in parsed.rejected] == [
        (3, "bad-day", "day 'Funday' is not 0 (Sunday) to 6 (Saturday)")
    ]


NOTE_FIELDS = ("notes", "location_notes", "group_notes", "conference_url_notes",
               "conference_phone_notes")  # fmt: skip


def note_values(meeting: FeedMeeting) -> dict[str, str]:
    return {
        "notes": meeting.notes,
        "location_notes": meeting.place.notes,
        "group_notes": meeting.group_notes,
        "conference_url_notes": meeting.conference_url_notes,
        "conference_phone_notes": meeting.conference_phone_notes,
    }


@pytest.mark.parametrize("value", [",", " , ", "-", "...", ". ,\n;", "<p>,</p>", "&nbsp;,", "—"])
def test_notes_of_only_punctuation_are_empty(value):
    fields = dict.fromkeys(NOTE_FIELDS, value)
    meeting = one(group="G", conference_url="https://example.org/j/1", **fields)
    assert note_values(meeting) == dict.fromkeys(NOTE_FIELDS, "")


@pytest.mark.parametrize("value", ["Room 2, downstairs", "7", "?!\nBring a book", "☕"])
def test_notes_with_words_digits_or_symbols_are_kept(value):
    fields = dict.fromkeys(NOTE_FIELDS, value)
    assert note_values(one(group="G", **fields)) == fields


def test_a_conference_url_of_only_punctuation_leaves_no_note():
    meeting = one(conference_url=",")
    assert (meeting.conference_url, meeting.conference_url_notes) == ("", "")


NOW = dt.datetime(2026, 6, 1, 12, 0, 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-08-27 14:40:51", dt.datetime(2021, 8, 27, 14, 40, 51)),
        ("2021-08-27T14:40:51Z", dt.datetime(2021, 8, 27, 14, 40, 51)),
        ("2021-08-27T16:40:51+02:00", dt.datetime(2021, 8, 27, 14, 40, 51)),
        ("2021-08-27 14:40:51.123456", dt.datetime(2021, 8, 27, 14, 40, 51)),
        ("2021-08-27", dt.datetime(2021, 8, 27)),
        ("2026-06-02 11:00:00", dt.datetime(2026, 6, 2, 11)),  # clocks a little ahead
        ("0000-00-00 00:00:00", None),  # WordPress' "never"
        ("1970-01-01 00:00:00", None),
        ("2099-01-01 00:00:00", None),
        ("last Tuesday", None),
        ("", None),
        (None, None),
        (1630075251, None),
    ],
)
def test_listing_updated_is_read_as_utc_or_else_unknown(value, expected):
    assert clean.listing_updated(value, now=NOW) == expected


@pytest.mark.parametrize("path", [DATA / "sepia-excerpt.json", DATA / "tsml-excerpt.json"])
def test_real_feeds_updated_dates_are_kept_as_given(path):
    given = {r["slug"]: r["updated"] for r in json.loads(path.read_text("utf-8"))}
    meetings = parse_feed(path.read_bytes()).meetings
    assert meetings
    for m in meetings:
        assert m.listing_updated is not None
        assert m.listing_updated.strftime("%Y-%m-%d %H:%M:%S") == given[m.feed_slug]


def test_bmlt_has_no_listing_date():
    meetings = parse_feed((DATA / "bmlt-excerpt.json").read_bytes()).meetings
    assert meetings and all(m.listing_updated is None for m in meetings)


def test_control_characters_no_url_can_carry_leave_the_slug():
    assert one(slug=" Bad\x00Slug\u202e-Sun ").slug == "BadSlug-Sun"
