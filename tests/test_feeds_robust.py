"""A bad row never costs the rest of the import; 24:00 and zero-length meetings land right."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from finder.feeds.meeting_guide import LIMITS, check_lengths, parse_rows
from finder.feeds.record import RowError
from finder.models import Meeting
from tests.feeds_support import import_rows, meetings_of

NEW_YORK = {"latitude": 40.7484, "longitude": -73.9967,
            "formatted_address": "350 5th Ave, New York, NY 10118, USA"}  # fmt: skip


def row(slug: str, **fields: object) -> dict[str, object]:
    base = {"name": slug.title(), "slug": slug, "day": 1, "time": "19:00", **NEW_YORK}
    return {**base, **fields}


LONG_STREET = "1 " + "Very " * 80 + "Long St, Springfield, IL 62701, USA"


@pytest.mark.parametrize(
    ("bad", "warning", "check"),
    [
        ({"name": "Bad \ud800 name"}, "invalid characters (lone UTF-16 surrogates) removed",
         lambda m: m.name == "Bad name"),
        ({"notes": "tea \udfff and cake", "group": "G\ud83d"}, "invalid characters",
         lambda m: m.notes == "tea and cake" and m.group.name == "G"),
        ({"conference_url": "zoom.us/j/" + "1" * 2100},
         "conference_url is longer than 2000 characters; left out",
         lambda m: m.conference_url == "" and m.attendance == "in_person"),
        ({"conference_url": "https://zoom.us/j/" + "1" * 2000},
         "conference_url is longer than 2000 characters; left out",
         lambda m: m.conference_url == ""),
        ({"url": "example.org/" + "x" * 2000}, "url is longer than 2000 characters; left out",
         lambda m: m.source_url == ""),
        ({"formatted_address": LONG_STREET}, None,
         lambda m: len(m.location.address) == 255 and m.location.city == "Springfield"),
    ],
)  # fmt: skip
def test_a_bad_row_is_kept_or_reported_and_the_good_row_imported(app, session, bad, warning,
                                                                  check):  # fmt: skip
    report = import_rows(app, [row("good"), row("bad", **bad)], name="mixed")
    meetings = meetings_of(session, "mixed")
    assert set(meetings) == {"good", "bad"}
    assert meetings["good"].name == "Good"
    assert check(meetings["bad"])
    assert report.rejected == []
    reasons = [(w.index, w.slug, w.reason) for w in report.warnings]
    if warning is None:
        assert reasons == []
    else:
        assert [(i, s) for i, s, _ in reasons] == [(1, "bad")]
        assert reasons[0][2].startswith(warning)


def test_the_cli_prints_a_surrogate_warning_and_imports_both_rows(runner, session, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text('[{"name": "Good", "slug": "good", "day": 1, "time": "19:00", '
                    '"latitude": 40.7, "longitude": -74.0}, '
                    '{"name": "Bad \\ud800 name", "slug": "b\\ud800ad", "day": 1, '
                    '"time": "19:00", "latitude": 40.7, "longitude": -74.0}]')  # fmt: skip
    result = runner.invoke(args=["import-feed", str(feed), "--name", "cli"])
    assert result.exit_code == 0, result.output
    assert "warning  index 1 (bad): invalid characters" in result.output
    assert result.output.splitlines()[-1].endswith("2 added, 0 updated, 0 unchanged, "
                                                   "0 unpublished, 0 rejected")  # fmt: skip
    assert {m.name for m in meetings_of(session, "cli").values()} == {"Good", "Bad name"}


def test_every_text_column_limit_is_checked_before_the_database_sees_it():
    assert LIMITS[Meeting]["slug"] == 255 and LIMITS[Meeting]["name"] == 255
    meetings, rejected = parse_rows([row("fits")])
    assert rejected == []
    meeting = meetings[0]
    meeting.place.timezone = "Z" * 65
    with pytest.raises(RowError, match="timezone is longer than 64 characters"):
        check_lengths(meeting)


def test_an_operator_name_too_long_for_the_source_is_refused(runner, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text('[{"name": "A", "slug": "a", "latitude": 40.7, "longitude": -74.0}]')
    result = runner.invoke(args=["import-feed", str(feed), "--name", "n" * 201])
    assert result.exit_code != 0
    assert "at most 200 characters" in result.output


@pytest.mark.parametrize(
    ("day", "time", "end", "expected"),
    [
        (1, "24:00", None, [(2, dt.time(0, 0), None)]),  # Monday 24:00 is Tuesday 00:00
        (6, "24:00:00", "01:00", [(0, dt.time(0, 0), dt.time(1, 0))]),  # Saturday wraps to Sunday
        ("Friday", "24", None, [(6, dt.time(0, 0), None)]),
        ([5, 6], "24:00", None, [(0, dt.time(0, 0), None), (6, dt.time(0, 0), None)]),
        (1, "23:00", "24:00", [(1, dt.time(23, 0), dt.time(0, 0))]),  # ends at midnight
        (1, "00:00", None, [(1, dt.time(0, 0), None)]),
        (1, "12:00 am", None, [(1, dt.time(0, 0), None)]),
    ],
)  # fmt: skip
def test_a_start_of_24_00_is_the_next_days_midnight(app, session, day, time, end, expected):
    fields: dict[str, object] = {"day": day, "time": time}
    if end is not None:
        fields["end_time"] = end
    report = import_rows(app, [row("late", **fields)], name="late")
    assert report.rejected == [] and report.warnings == []
    stored = sorted((m.day, m.time, m.end_time) for m in meetings_of(session, "late").values())
    assert stored == expected


def test_an_end_time_equal_to_the_start_is_one_hour_with_a_warning(app, session):
    rows = [row("same", time="19:30", end_time="19:30"),
            row("fine", time="19:30", end_time="20:15")]  # fmt: skip
    report = import_rows(app, rows, name="same")
    meetings = meetings_of(session, "same")
    assert meetings["same"].end_time is None
    page = app.test_client().get(f"/meetings/{meetings['same'].slug}").get_data(as_text=True)
    schedule = re.search(r'<p class="schedule">(.*?)</p>', page)
    assert schedule is not None  # the start alone: an end nobody gave is not shown as fact
    assert re.sub(r"<[^>]+>", "", schedule.group(1)) == "Mondays, 7:30 pm"
    assert meetings["fine"].end_time == dt.time(20, 15)
    assert [str(w) for w in report.warnings] == [
        "index 0 (same): end_time equals time; taken as missing (one hour)"
    ]


def test_an_end_long_before_the_start_is_kept_with_a_warning(app, session):
    rows = [row("slip", time="11:30", end_time="00:30"),
            row("late", time="23:00", end_time="01:00")]  # fmt: skip
    report = import_rows(app, rows, name="ends")
    meetings = meetings_of(session, "ends")
    assert meetings["slip"].end_time == dt.time(0, 30)  # the source's listing, as given
    assert meetings["late"].end_time == dt.time(1, 0)  # past midnight: no warning
    assert [str(w) for w in report.warnings] == [
        "index 0 (slip): end_time 00:30 makes the meeting 13 hours long past midnight; "
        'kept as given, counted as an hour for "in progress": check it at the source'
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (bytes(range(256)) * 4, "neither Meeting Guide JSON"),  # binary: a lone \r, NULs
        (b'[{"name": "x", "day": ' + b"9" * 5000 + b"}]", "a value no feed holds"),
    ],
)
def test_a_file_that_is_no_feed_is_one_line_not_a_traceback(runner, tmp_path, content, says):
    feed = tmp_path / "feed.dat"
    feed.write_bytes(content)
    result = runner.invoke(args=["import-feed", str(feed), "--name", "junk"])
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception
    assert says in result.output


def test_commands_before_init_db_say_to_run_it(app, tmp_path):
    from finder import create_app

    bare = create_app({**app.config, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"})
    feed = tmp_path / "feed.json"
    feed.write_text('[{"name": "A", "slug": "a", "latitude": 40.7, "longitude": -74.0}]')
    for args in (["import-feed", str(feed)], ["refresh-feeds"], ["demo-data", "--count", "5"]):
        result = bare.test_cli_runner().invoke(args=args)
        assert result.exit_code != 0, args
        assert isinstance(result.exception, SystemExit), (args, result.exception)
        assert "Run `flask --app wsgi init-db` first." in result.output, args
    created = bare.test_cli_runner().invoke(args=["init-db"])
    assert "Created the database schema" in created.output
    again = bare.test_cli_runner().invoke(args=["init-db"])
    assert "Database schema is up to date" in again.output
    bare.extensions["finder.engine"].dispose()


@pytest.mark.parametrize(
    "app_config", [{"SEARCH_INDEX": "sync"}, {"SEARCH_INDEX": "off"}], ids=["index", "sql"]
)
def test_an_end_that_is_likely_a_slip_is_not_in_progress_all_afternoon(
    app, client, monkeypatch
) -> None:
    """SEPIA's "Renaissance" runs 11:30 to 00:30: at 7:25 pm it most likely ended hours ago.
    The page keeps the listed end and says why it is not counted; search and the API do not
    call it in progress."""
    import finder.api
    import finder.search

    # Monday 30 November 2026, 7:25 pm in New York
    evening = dt.datetime(2026, 12, 1, 0, 25, tzinfo=dt.UTC)
    monkeypatch.setattr(finder.search, "now_utc", lambda: evening)
    monkeypatch.setattr(finder.api, "now_utc", lambda: evening)
    import_rows(app, [row("renaissance", time="11:30", end_time="00:30"),
                      row("late", time="19:00", end_time="20:30")], name="slips")  # fmt: skip
    page = client.get("/meetings/renaissance").get_data(as_text=True)
    schedule = re.search(r'<p class="schedule">(.*?)</p>', page)
    assert schedule is not None and "12:30 am" in re.sub(r"<[^>]+>", "", schedule.group(1))
    assert "Its listing ends it at 12:30 am, the next day" in page
    assert "In progress" not in page
    found = client.get(
        "/api/v1/meetings?lat=40.7484&lng=-73.9967&radius_km=5&day=today"
    ).get_json()["meetings"]
    live = {m["slug"]: m["in_progress"] for m in found}
    assert live == {"late": True}  # Renaissance is not on any more today
