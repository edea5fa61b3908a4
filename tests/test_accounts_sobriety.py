"""Milestone arithmetic: month ends, leap days, time zones, and the order of milestones."""

from __future__ import annotations

import datetime as dt

import pytest

from finder.accounts.sobriety import (
    Span,
    add_months,
    describe_span,
    milestones_through,
    progress,
    span,
    today_in,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: the last day of February
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 2, D(2024, 3, 31)),  # measured from the start, not chained
        (D(2024, 3, 31), 6, D(2024, 9, 30)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap-day anniversary in a common year
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2023, 12, 15), 1, D(2024, 1, 15)),
        (D(2023, 7, 30), 18, D(2025, 1, 30)),
        (D(2023, 8, 31), 18, D(2025, 2, 28)),
    ],
)
def test_add_months_lands_on_the_last_day_of_shorter_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        (D(2024, 1, 31), D(2024, 2, 29), Span(29, 0, 1, 0)),
        (D(2023, 1, 31), D(2023, 2, 28), Span(28, 0, 1, 0)),
        (D(2023, 1, 31), D(2023, 2, 27), Span(27, 0, 0, 27)),
        (D(2023, 1, 31), D(2023, 3, 1), Span(29, 0, 1, 1)),
        (D(2024, 2, 29), D(2025, 2, 28), Span(365, 1, 0, 0)),
        (D(2024, 2, 29), D(2025, 3, 1), Span(366, 1, 0, 1)),
        (D(2024, 2, 29), D(2028, 2, 29), Span(1461, 4, 0, 0)),
        (D(2020, 5, 10), D(2025, 5, 9), Span(1825, 4, 11, 29)),
        (D(2025, 1, 1), D(2025, 1, 1), Span(0, 0, 0, 0)),
        (D(2025, 1, 2), D(2025, 1, 1), Span(0, 0, 0, 0)),  # a future date counts nothing
    ],
)
def test_span_in_years_months_and_days(start, today, expected):
    assert span(start, today) == expected


def test_a_date_100_days_ago_has_reached_100_days_and_next_is_6_months():
    start = D(2025, 1, 1)
    today = start + dt.timedelta(days=100)
    result = progress(start, today)
    assert result.span.days_total == 100
    assert [(m.label, m.date) for m in result.reached] == [
        ("24 hours", D(2025, 1, 2)),
        ("30 days", D(2025, 1, 31)),
        ("60 days", D(2025, 3, 2)),
        ("90 days", D(2025, 4, 1)),
        ("100 days", D(2025, 4, 11)),
    ]
    assert (result.next.label, result.next.date) == ("6 months", D(2025, 7, 1))
    assert result.days_to_next == 81


def test_milestones_come_in_date_order_then_every_year():
    start = D(2024, 1, 1)
    labels = [(m.label, m.date) for m in milestones_through(start, D(2027, 6, 1))]
    assert labels == [
        ("24 hours", D(2024, 1, 2)),
        ("30 days", D(2024, 1, 31)),
        ("60 days", D(2024, 3, 1)),
        ("90 days", D(2024, 3, 31)),
        ("100 days", D(2024, 4, 10)),
        ("6 months", D(2024, 7, 1)),
        ("9 months", D(2024, 10, 1)),
        ("1 year", D(2025, 1, 1)),
        ("500 days", D(2025, 5, 15)),
        ("18 months", D(2025, 7, 1)),
        ("2 years", D(2026, 1, 1)),
        ("1,000 days", D(2026, 9, 27)),
        ("3 years", D(2027, 1, 1)),
        ("4 years", D(2028, 1, 1)),  # the next one
    ]


def test_leap_day_start_reaches_its_first_year_on_february_28():
    result = progress(D(2024, 2, 29), D(2025, 2, 28))
    assert result.reached[-1].label == "1 year"
    assert result.reached[-1].date == D(2025, 2, 28)


def test_month_end_start_reaches_6_months_on_the_shorter_months_last_day():
    result = progress(D(2024, 8, 31), D(2025, 2, 28))
    assert ("6 months", D(2025, 2, 28)) in [(m.label, m.date) for m in result.reached]
    assert result.span == Span(181, 0, 6, 0)


def test_day_one_has_24_hours_next_tomorrow():
    result = progress(D(2025, 3, 3), D(2025, 3, 3))
    assert result.reached == []
    assert (result.next.label, result.days_to_next) == ("24 hours", 1)


def test_a_start_still_to_come_counts_down_to_it_and_to_24_hours():
    result = progress(D(2026, 12, 1), D(2026, 11, 30))
    assert (result.days_to_start, result.span.days_total, result.reached) == (1, 0, [])
    assert (result.next.label, result.next.date, result.days_to_next) == (
        "24 hours",
        D(2026, 12, 2),
        2,
    )
    assert progress(D(2026, 12, 1), D(2026, 12, 1)).days_to_start == 0


def test_after_many_years_the_next_milestone_is_the_next_anniversary():
    result = progress(D(1990, 6, 15), D(2025, 6, 14))
    assert (result.next.label, result.next.date) == ("35 years", D(2025, 6, 15))
    assert result.reached[-1].label == "34 years"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", D(2025, 1, 1)),
        ("Pacific/Auckland", D(2025, 1, 2)),  # already past midnight there
        ("America/Los_Angeles", D(2025, 1, 1)),
        ("Pacific/Honolulu", D(2025, 1, 1)),
    ],
)
def test_today_is_the_date_in_the_persons_own_zone(zone, expected):
    now = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert today_in(zone, now) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (Span(400, 1, 1, 4), "1 year, 1 month and 4 days"),
        (Span(800, 2, 2, 0), "2 years and 2 months"),
        (Span(10, 0, 0, 10), "10 days"),
        (Span(1, 0, 0, 1), "1 day"),
        (Span(0, 0, 0, 0), "day one"),
    ],
)
def test_describe_span(value, words):
    assert describe_span(value) == words
