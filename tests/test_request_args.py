"""One parser for the search filters: the API and the pages read them alike, report differently."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from finder.request_args import BadParameter, Collected, finite_number, raise_first, read_filters

GOOD = MultiDict(
    [
        ("lat", "40.5"),
        ("lng", "-73.9"),
        ("day", "Today"),
        ("day", "any"),
        ("time", "EVENING"),
        ("type", "o"),
        ("type", "12X12"),
        ("attendance", "online"),
        ("fellowship", "NA"),
    ]
)


def test_both_reporters_read_the_same_values() -> None:
    collected = Collected()
    for_page = read_filters(GOOD, collected, unknown_types=False)
    for_api = read_filters(GOOD, raise_first, unknown_types=True)
    assert for_page == for_api
    assert collected.messages == []
    assert for_api.days == ("today",)
    assert for_api.types == ("O", "12x12")
    assert (for_api.lat, for_api.lng) == (40.5, -73.9)


@pytest.mark.parametrize(
    ("args", "api", "page"),
    [
        ("lat=91&lng=0", "lat must be between -90 and 90", "latitude must be a number"),
        ("lat=1", "lat needs lng too", "latitude must be a number"),
        ("day=funday", "day must be today, tomorrow", "Day must be any, today"),
        ("time=dawn", "time must be one of morning", "Time of day must be"),
        ("type=NOPE!", "type must be a meeting type code", "We don't know that meeting type"),
        ("attendance=zoom", "attendance must be one of", "Attendance must be in person"),
        ("fellowship=xyz", "fellowship must be one of", "We don't know that fellowship"),
        ("lat=40_7&lng=1", "lat must be a number, not '40_7'", "latitude must be a number"),
        ("lat=\uff14\uff10&lng=1", "lat must be a number", "latitude must be a number"),
        ("lat=inf&lng=1", "lat must be a finite number", "latitude must be a number"),
    ],
)
def test_one_problem_two_wordings(args: str, api: str, page: str) -> None:
    parsed = MultiDict([tuple(pair.split("=", 1)) for pair in args.split("&")])
    with pytest.raises(BadParameter, match=api):
        read_filters(parsed, raise_first, unknown_types=True)
    collected = Collected()
    read_filters(parsed, collected, unknown_types=False)
    assert len(collected.messages) == 1
    assert page in collected.messages[0]


def test_pages_hear_every_problem_the_api_only_the_first() -> None:
    args = MultiDict([("day", "funday"), ("time", "dawn")])
    collected = Collected()
    read_filters(args, collected, unknown_types=False)
    assert len(collected.messages) == 2
    with pytest.raises(BadParameter, match=r"^day must"):
        read_filters(args, raise_first, unknown_types=True)


def test_unknown_type_codes_only_for_the_api() -> None:
    args = MultiDict([("type", "XYZ")])
    assert read_filters(args, raise_first, unknown_types=True).types == ("XYZ",)
    collected = Collected()
    assert read_filters(args, collected, unknown_types=False).types == ()
    assert collected.messages


@pytest.mark.parametrize("raw", ["40", "-73.99", "+1.5", ".5", "40.", "1e1", " 40.7 "])
def test_numbers_as_people_write_them_are_read(raw: str) -> None:
    value, wrong = finite_number("lat", raw)
    assert wrong == "" and value == float(raw)
