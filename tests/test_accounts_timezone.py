"""The first count is right in the person's own zone: asked at registration, or from the device."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from finder.accounts import sobriety
from finder.accounts.models import User
from tests.accounts_support import PASSWORD, register, text

# 4:01 pm on November 25 in Los Angeles is already November 26 in UTC.
LA_AFTERNOON = dt.datetime(2025, 11, 26, 0, 1, tzinfo=dt.UTC)
# 9 pm on November 25 in New York is already November 26 in UTC.
NY_EVENING = dt.datetime(2025, 11, 26, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    """Stop the accounts' clock at a given moment: clock(moment)."""

    def stop(moment: dt.datetime) -> None:
        monkeypatch.setattr(sobriety, "now_utc", lambda: moment)

    return stop


def selected_zone(page: str) -> str:
    """The zone the page's time zone select has selected."""
    select_html = re.search(r'<select[^>]* id="timezone"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, "no time zone select"
    match = re.search(r'<option selected value="([^"]+)"', select_html.group(1))
    assert match, "no zone selected"
    return match.group(1)


def make_legacy(session, username: str = "sam") -> None:
    """Turn a new account into one made before registration asked for the zone."""
    user = session.scalar(select(User).where(User.username_key == username))
    user.timezone, user.timezone_chosen = "UTC", False
    session.commit()


def test_today_in_los_angeles_at_4pm_is_day_one_not_one_day(client, clock):
    clock(LA_AFTERNOON)
    register(client, timezone="America/Los_Angeles")
    client.post("/me/sobriety", data={"label": "Alcohol", "date": "2025-11-25"})
    page = text(client.get("/me/sobriety"))
    assert "Day one" in page and "is your first day" in page
    assert "1 day" not in page and "Milestones reached" not in page
    assert "Next: 24 hours</strong> on November 26, 2025, tomorrow" in page


def test_the_24_hour_milestone_is_reached_the_next_day(client, clock):
    clock(LA_AFTERNOON)
    register(client, timezone="America/Los_Angeles")
    client.post("/me/sobriety", data={"date": "2025-11-25"})
    clock(dt.datetime(2025, 11, 26, 7, 59, tzinfo=dt.UTC))  # 11:59 pm in Los Angeles
    assert "Milestones reached" not in text(client.get("/me/sobriety"))
    clock(dt.datetime(2025, 11, 26, 8, 0, tzinfo=dt.UTC))  # midnight in Los Angeles
    page = text(client.get("/me/sobriety"))
    assert ">1 day<" in page and "Milestones reached" in page
    assert '"milestone-label">24 hours</span> <span class="muted">November 26, 2025' in page


def test_a_date_100_days_ago_in_a_new_york_evening_is_100_days(client, clock):
    clock(NY_EVENING)
    register(client, timezone="America/New_York")
    start = dt.date(2025, 11, 25) - dt.timedelta(days=100)
    client.post("/me/sobriety", data={"date": start.isoformat()})
    page = text(client.get("/me/sobriety"))
    assert ">100 days<" in page and "101 days" not in page
    assert "Counted in your time zone, <strong>US Eastern (New York)</strong>" in page


def test_today_in_los_angeles_is_not_refused_as_still_to_come_in_auckland(client, clock):
    clock(dt.datetime(2025, 11, 26, 20, 0, tzinfo=dt.UTC))  # Nov 27 in Auckland
    register(client, timezone="Pacific/Auckland")
    r = client.post("/me/sobriety", data={"date": "2025-11-27"})
    assert r.status_code == 302
    r = client.post("/me/sobriety", data={"date": "2025-11-28"})
    assert r.status_code == 400 and "still to come" in text(r)


def test_an_account_without_a_zone_takes_the_devices_zone_with_its_first_date(
    client, session, clock
):
    clock(LA_AFTERNOON)
    register(client)
    make_legacy(session)
    page = text(client.get("/me/sobriety"))
    assert "Until you save one, your days are counted in UTC." in page
    assert 'name="timezone" type="hidden" value=""' in page  # for app.js to fill in

    r = client.post("/me/sobriety", data={"date": "2025-11-25", "timezone": "America/Los_Angeles"})
    assert r.status_code == 302
    session.expire_all()
    user = session.scalar(select(User))
    assert (user.timezone, user.timezone_chosen) == ("America/Los_Angeles", True)
    page = text(client.get("/me/sobriety"))
    assert "Day one" in page and "counted in US Pacific (Los Angeles) time" in page
    assert 'type="hidden" value=""' not in page  # settled: the device is not asked again


def test_without_javascript_an_account_without_a_zone_counts_in_utc_and_says_so(
    client, session, clock
):
    clock(LA_AFTERNOON)
    register(client)
    make_legacy(session)
    client.post("/me/sobriety", data={"date": "2025-11-25", "timezone": ""})
    page = text(client.get("/me/sobriety"))
    assert ">1 day<" in page and "Until you save one, your days are counted in UTC." in page
    assert session.scalar(select(User.timezone_chosen)) is False


@pytest.mark.parametrize("sent", ["America/Los_Angeles", "Mars/Olympus_Mons"])
def test_a_chosen_zone_is_never_replaced_by_the_device(client, session, clock, sent):
    clock(LA_AFTERNOON)
    register(client, timezone="UTC")  # chosen on purpose, say while travelling
    r = client.post("/me/sobriety", data={"date": "2025-11-25", "timezone": sent})
    assert r.status_code == 302
    assert session.scalar(select(User.timezone)) == "UTC"
    assert ">1 day<" in text(client.get("/me/sobriety"))


def test_an_unknown_device_zone_is_ignored(client, session, clock):
    clock(LA_AFTERNOON)
    register(client)
    make_legacy(session)
    r = client.post("/me/sobriety", data={"date": "2025-11-25", "timezone": "../../etc"})
    assert r.status_code == 302
    session.expire_all()
    assert session.scalar(select(User.timezone)) == "UTC"


def test_registration_asks_for_the_zone_and_saves_it(client, session):
    page = text(client.get("/register"))
    assert '<label for="timezone">Your time zone</label>' in page
    assert "data-device-zone-select" in page  # app.js selects the device's zone
    assert selected_zone(page) == "America/New_York"  # without JavaScript
    r = register(client, timezone="Europe/Dublin")
    assert r.status_code == 302
    user = session.scalar(select(User))
    assert (user.timezone, user.timezone_chosen) == ("Europe/Dublin", True)


@pytest.mark.parametrize(
    ("languages", "zone"),
    [
        ("en-GB,en;q=0.8", "Europe/London"),
        ("en-AU", "Australia/Sydney"),
        ("de-CH,de;q=0.9", "Europe/Zurich"),
        ("fr", "America/New_York"),
        ("", "America/New_York"),
    ],
)
def test_without_javascript_the_zone_starts_from_the_browsers_language(client, languages, zone):
    page = text(client.get("/register", headers={"Accept-Language": languages}))
    assert selected_zone(page) == zone


@pytest.mark.parametrize("zone", ["", "Mars/Olympus_Mons", "<script>"])
def test_registration_refuses_an_unknown_zone(client, session, zone):
    data = {"username": "sam", "password": PASSWORD, "confirm": PASSWORD, "timezone": zone}
    r = client.post("/register", data=data)
    assert r.status_code == 200 and "Pick your time zone from the list." in text(r)
    assert "<script>" not in text(r)
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_a_device_zone_outside_the_short_list_is_kept_on_the_form(client):
    data = {"username": "s", "password": PASSWORD, "confirm": PASSWORD, "timezone": "America/Boise"}
    page = text(client.post("/register", data=data))  # refused: the username is too short
    assert selected_zone(page) == "America/Boise"


def test_the_zone_is_one_heading_that_labels_its_select(client):
    register(client, timezone="America/Chicago")
    page = text(client.get("/me/sobriety"))
    assert page.count("Your time zone") == 1
    assert '<h2 id="timezone-label"><label for="timezone">Your time zone</label></h2>' in page
    assert selected_zone(page) == "America/Chicago"
    assert "data-device-zone-check" in page  # a chosen zone is compared, never replaced
    assert page.count('id="timezone"') == 1  # the label's target, and nothing else


def test_an_unsettled_zone_is_asked_first_with_one_select(client, session):
    register(client)
    make_legacy(session)
    page = text(client.get("/me/sobriety"))
    assert page.index('id="timezone-label"') < page.index('id="add-title"')  # before the dates
    assert page.count("Your time zone") == 1 and page.count('id="timezone"') == 1
    assert "data-device-zone-select" in page  # app.js selects the device's zone


def test_a_date_still_to_come_after_moving_west_is_never_called_today(client, clock):
    clock(dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC))  # December 1 in Auckland
    register(client, timezone="Pacific/Auckland")
    assert client.post("/me/sobriety", data={"date": "2026-12-01"}).status_code == 302
    client.post("/me/timezone", data={"timezone": "Pacific/Honolulu"})  # still November 30
    page = text(client.get("/me/sobriety"))
    assert "Day one" not in page and "is your first day" not in page
    assert '<p class="sober-days">Starts tomorrow</p>' in page
    assert (
        "Your count starts on December 1, 2026. In your time zone it is still November 30, 2026."
        in page
    )
    assert "Next: 24 hours</strong> on December 2, 2026, in 2 days" in page
    assert "Milestones reached" not in page

    clock(dt.datetime(2026, 11, 29, 14, 0, tzinfo=dt.UTC))  # two days before, in Honolulu
    assert '<p class="sober-days">Starts in 2 days</p>' in text(client.get("/me/sobriety"))
    clock(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))  # midnight in Honolulu: it begins
    page = text(client.get("/me/sobriety"))
    assert "Day one" in page and "Today, December 1, 2026, is your first day." in page
