"""How meetings read on the search pages: relative days, "starts in", links, addresses, params."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import MultiDict

from finder.models import Location
from finder.schedule import Occurrence
from finder.search.params import parse_query, strip_controls, too_precise
from finder.search.present import (
    DialIn,
    address_lines,
    breakable,
    describe_when,
    dial_in,
    dials_codes,
    has_words,
    phone_number,
    relative_day,
    safe_web_url,
    starts_in,
    tel_link,
)

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2025, 6, 2, 18, 35, tzinfo=NY)  # a Monday


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "starting now"),
        (1, "starts in 1 min"),
        (25, "starts in 25 min"),
        (60, "starts in 1 h"),
        (95, "starts in 1 h 35 min"),
        (24 * 60 - 1, "starts in 23 h 59 min"),
        (24 * 60, ""),
    ],
)
def test_starts_in(minutes: int, text: str) -> None:
    assert starts_in(minutes) == text


@pytest.mark.parametrize(
    ("start", "label"),
    [
        (dt.datetime(2025, 6, 2, 19, 0, tzinfo=NY), "Today"),
        (dt.datetime(2025, 6, 3, 0, 30, tzinfo=NY), "Tomorrow"),
        (dt.datetime(2025, 6, 5, 12, 0, tzinfo=NY), "Thursday"),
        (dt.datetime(2025, 6, 8, 12, 0, tzinfo=NY), "Sunday"),
        (dt.datetime(2025, 6, 9, 8, 0, tzinfo=NY), "Next Monday"),
    ],
)
def test_relative_day_in_the_meetings_zone(start: dt.datetime, label: str) -> None:
    assert relative_day(start, NOW.astimezone(dt.UTC)) == label


@pytest.mark.parametrize(
    ("now", "label"),
    [
        (dt.datetime(2025, 6, 8, 0, 10, tzinfo=NY), "Next Saturday"),  # Sunday 12:10 am
        (dt.datetime(2025, 6, 8, 4, 59, tzinfo=NY), "Next Saturday"),
        (dt.datetime(2025, 6, 8, 5, 0, tzinfo=NY), "Saturday"),
        (dt.datetime(2025, 6, 8, 15, 0, tzinfo=NY), "Saturday"),
    ],
)
def test_after_midnight_the_day_just_ended_is_next_week(now: dt.datetime, label: str) -> None:
    # Saturday 9:00 pm, six days ahead: at 12:10 am on Sunday "Saturday" reads as last night.
    start = dt.datetime(2025, 6, 14, 21, 0, tzinfo=NY)
    assert relative_day(start, now.astimezone(dt.UTC)) == label


@pytest.mark.parametrize(
    ("start", "phrase"),
    [
        (dt.datetime(2025, 6, 3, 0, 0, tzinfo=NY), "Tonight at midnight"),
        (dt.datetime(2025, 6, 3, 0, 30, tzinfo=NY), "Tomorrow at 12:30 am"),
        (dt.datetime(2025, 6, 3, 12, 0, tzinfo=NY), "Tomorrow at noon"),
        (dt.datetime(2025, 6, 5, 0, 0, tzinfo=NY), "Wednesday night at midnight"),
        (dt.datetime(2025, 6, 9, 0, 0, tzinfo=NY), "Sunday night at midnight"),
        (dt.datetime(2025, 6, 2, 19, 0, tzinfo=NY), "Today at 7:00 pm"),
    ],
)
def test_midnight_and_noon_in_words(start: dt.datetime, phrase: str) -> None:
    # Viewed Monday 6:35 pm: 00:00 Tuesday is "midnight tonight", not "Tomorrow 12:00 am".
    when = describe_when(Occurrence(start, start + dt.timedelta(hours=1), False), NOW)
    assert when is not None
    assert f"{when.day_label} at {when.start}" == phrase


def test_describe_when_in_progress_and_upcoming() -> None:
    running = Occurrence(NOW - dt.timedelta(minutes=5), NOW + dt.timedelta(minutes=55), True)
    when = describe_when(running, NOW)
    assert when is not None
    assert (when.status, when.in_progress, when.tz_abbr) == ("in progress", True, "EDT")
    soon = Occurrence(NOW + dt.timedelta(minutes=25), NOW + dt.timedelta(minutes=85), False)
    when = describe_when(soon, NOW)
    assert when is not None
    assert (when.day_label, when.start, when.end, when.status) == (
        "Today",
        "7:00 pm",
        "8:00 pm",
        "starts in 25 min",
    )
    assert describe_when(None, NOW) is None


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://zoom.us/j/123?pwd=abc", True),
        ("http://meet.example.org/x", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,hi", False),
        ("//evil.example/x", False),
        ("zoom.us/j/123", False),
        ("", False),
    ],
)
def test_safe_web_url(url: str, safe: bool) -> None:
    assert (safe_web_url(url) is not None) is safe


@pytest.mark.parametrize(
    ("phone", "link", "shown"),
    [
        ("+1 (646) 555-0100", "tel:+16465550100", "+1 646-555-0100"),
        ("+16465588656,,123456#", "tel:+16465588656,,123456%23", "+1 646-558-8656"),
        ("6699006833", "tel:6699006833", "(669) 900-6833"),
        ("669.900.6833,,98765#", "tel:6699006833,,98765%23", "(669) 900-6833"),
        ("1-800-662-4357", "tel:18006624357", "1 (800) 662-4357"),
        ("+44  20 7946 0958", "tel:+442079460958", "+44 20 7946 0958"),
        ("555-0100", "tel:5550100", "555-0100"),
        ("call the office", None, "call the office"),
        ("", None, ""),
    ],
)
def test_phone_links(phone: str, link: str | None, shown: str) -> None:
    assert tel_link(phone) == link
    assert phone_number(phone) == shown


@pytest.mark.parametrize(
    ("phone", "codes"),
    [("+16465588656,,123456#", True), ("+1 646 558 8656", False), ("555-0100,", False)],
)
def test_dials_codes(phone: str, codes: bool) -> None:
    assert dials_codes(phone) is codes


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("+12125550100,,67304837151#", DialIn("+1 212-555-0100", ("67304837151#",))),
        (
            "+16465588656,,85012345678#,,,,*123456#",
            DialIn("+1 646-558-8656", ("85012345678#", "*123456#")),
        ),
        ("669.900.6833;98765#", DialIn("(669) 900-6833", ("98765#",))),
        ("+1 646 558 8656", DialIn("+1 646-558-8656")),
        ("555-0100,", DialIn("555-0100")),
        ("call the office", DialIn("call the office", dialable=False)),
        ("call  the office, ask for Sam", DialIn("call the office, ask for Sam", dialable=False)),
    ],
)
def test_dial_in_on_paper_is_the_number_then_its_codes(phone: str, shown: DialIn) -> None:
    assert dial_in(phone) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [(",", False), (" - \n ", False), ("", False), (None, False), ("Ring bell", True), ("2", True)],
)
def test_notes_without_words_are_not_notes(text: str | None, shown: bool) -> None:
    assert has_words(text) is shown


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("100\x0001", "10001"),
        ("New\tYork\r\nNY", "New York  NY"),
        ("a\x1b[31mb\x7f\x85c", "a[31mbc"),
        ("\u202eevil", "evil"),
        ("Zürich – café", "Zürich – café"),
    ],
)
def test_strip_controls(raw: str, clean: str) -> None:
    assert strip_controls(raw) == clean


@pytest.mark.parametrize(
    ("lat", "lng", "precise"),
    [("40.7484", "-73.997", True), ("40.748", "-73.9967", True), ("40.748", "-74", False)],
)
def test_more_than_three_decimals_is_too_precise(lat: str, lng: str, precise: bool) -> None:
    assert too_precise(MultiDict([("lat", lat), ("lng", lng)])) is precise


def test_coordinates_are_kept_to_three_decimals() -> None:
    query = parse_query(MultiDict([("lat", "40.748441"), ("lng", "-73.985664")]))
    assert (query.lat, query.lng) == (40.748, -73.986)
    assert query.url_args() == {"lat": "40.748", "lng": "-73.986"}


def test_address_lines_never_show_a_false_street() -> None:
    exact = Location(
        name="Hall",
        address="1 Main St",
        city="Austin",
        state="TX",
        formatted_address="1 Main St, Austin, TX 78701, USA",
        approximate=False,
    )
    assert address_lines(exact) == ["1 Main St, Austin, TX 78701, USA"]
    rough = Location(
        name="",
        address="1 Main St",
        city="Austin",
        state="TX",
        formatted_address="1 Main St, Austin, TX",
        approximate=True,
    )
    assert address_lines(rough) == ["Austin, TX (approximate area)"]
    parts = Location(
        address="5 Oak Ave",
        city="Austin",
        state="TX",
        postal_code="78701",
        formatted_address="",
        approximate=False,
    )
    assert address_lines(parts) == ["5 Oak Ave", "Austin TX 78701"]


def test_query_round_trips_through_its_url_args() -> None:
    args = MultiDict(
        [
            ("near", " New   York "),
            ("radius", "25"),
            ("sort", "distance"),
            ("day", "today"),
            ("time", "evening"),
            ("time", "night"),
            ("type", "o"),
            ("type", "12X12"),
            ("attendance", "online"),
            ("fellowship", "NA"),
            ("page", "2"),
        ]
    )
    query = parse_query(args)
    assert query.errors == ()
    assert query.types == ("O", "12x12")
    assert query.url_args() == {
        "near": "New York",
        "radius": 25,
        "sort": "distance",
        "day": ["today"],
        "time": ["evening", "night"],
        "type": ["O", "12x12"],
        "attendance": ["online"],
        "fellowship": ["na"],
        "page": 2,
    }
    assert query.filter_count == 7


def test_typed_place_wins_over_coordinates() -> None:
    query = parse_query(MultiDict([("near", "Boston, MA"), ("lat", "40.7"), ("lng", "-74")]))
    assert not query.by_coordinates
    assert query.url_args() == {"near": "Boston, MA"}
    coords = parse_query(MultiDict([("near", ""), ("lat", "40.7"), ("lng", "-74")]))
    assert coords.by_coordinates
    assert coords.url_args() == {"lat": "40.700", "lng": "-74.000"}


def test_any_day_is_no_day_filter() -> None:
    query = parse_query(MultiDict([("near", "10001"), ("day", "any")]))
    assert query.days == ()
    assert query.filter_count == 0
    assert query.url_args() == {"near": "10001"}


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("Literature/Discussion", "Literature/<wbr>Discussion"),
        ("</script>", "&lt;/script&gt;"),
        ("A & B/<i>", "A &amp; B/&lt;i&gt;"),
        ("Men's 12/12", "Men&#39;s 12/<wbr>12"),
    ],
)
def test_breakable_names_wrap_after_slashes_and_stay_escaped(name: str, html: str) -> None:
    assert str(breakable(name)) == html
