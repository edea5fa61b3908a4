"""Account sharing: a private favorites calendar, and a sponsee's private meeting log."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import func, select

from finder.accounts.models import User
from finder.accounts.models_log import Attendance, CalendarFeed
from finder.accounts.sobriety import today_in
from finder.sharing.models import MeetingList
from tests.accounts_support import PASSWORD, login, register, text
from tests.sharing_support import events

FEED_URL = re.compile(r'href="(http://localhost/calendars/([A-Za-z0-9_-]{43})\.ics)"')


def logged_in(client, username: str = "sponsee1") -> None:
    register(client, username)
    login(client, username)


def calendar_url(client) -> tuple[str, str]:
    client.post("/me/favorites/calendar")
    html = text(client.get("/me/favorites"))
    match = FEED_URL.search(html)
    assert match, "no calendar address on /me/favorites"
    return match.group(1), match.group(2)


def test_favorites_calendar_needs_no_cookie_and_lists_favorites(app, client, make_meeting) -> None:
    saved = make_meeting(name="Step by Step", day=2, time=dt.time(19, 0))
    make_meeting(name="Not saved")
    logged_in(client)
    client.post(f"/meetings/{saved.slug}/favorite", data={"action": "add"})
    url, token = calendar_url(client)
    html = text(client.get("/me/favorites"))
    assert f'href="webcal://localhost/calendars/{token}.ics"' in html
    calendar_app = app.test_client(use_cookies=False)
    response = calendar_app.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers
    assert [str(e["summary"]) for e in events(response.data)] == ["Step by Step"]
    (event,) = events(response.data)
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"


def test_resetting_the_calendar_address_retires_the_old_one(app, client, make_meeting) -> None:
    logged_in(client)
    old_url, old_token = calendar_url(client)
    new_url, new_token = calendar_url(client)
    assert old_token != new_token
    calendar_app = app.test_client(use_cookies=False)
    assert calendar_app.get(old_url.removeprefix("http://localhost")).status_code == 404
    assert calendar_app.get(new_url.removeprefix("http://localhost")).status_code == 200


def test_calendar_address_is_only_for_accounts(client) -> None:
    assert client.post("/me/favorites/calendar").status_code == 302  # to the login page
    assert "Make a calendar address" not in text(client.get("/me/favorites"))
    assert client.get("/calendars/" + "x" * 43 + ".ics").status_code == 404


def test_i_went_logs_today_privately(app, client, session, make_meeting) -> None:
    m = make_meeting(name="Step by Step")
    logged_in(client)
    page = text(client.get(f"/meetings/{m.slug}"))
    assert ">I went</button>" in page
    response = client.post(f"/meetings/{m.slug}/went")
    assert response.status_code == 302 and response.location == f"/meetings/{m.slug}"
    client.post(f"/meetings/{m.slug}/went")  # twice the same day counts once
    rows = session.scalars(select(Attendance)).all()
    assert [(r.meeting_slug, r.day) for r in rows] == [(m.slug, today_in("UTC"))]
    assert "You went today" in text(client.get(f"/meetings/{m.slug}"))
    stranger = app.test_client()
    assert "I went" not in text(stranger.get(f"/meetings/{m.slug}"))
    assert stranger.post(f"/meetings/{m.slug}/went").status_code == 302
    assert session.scalar(select(func.count(Attendance.id))) == 1


def test_sobriety_page_shows_ninety_in_ninety(client, session, make_meeting) -> None:
    m = make_meeting(name="Step by Step")
    logged_in(client)
    user = session.scalar(select(User))
    assert user is not None
    today = today_in("UTC")
    for days_ago in (0, 1, 2, 89, 90, 200):  # 90 and 200 days ago are outside the window
        day = today - dt.timedelta(days=days_ago)
        session.add(Attendance(user_id=user.id, meeting_slug=m.slug, meeting_name=m.name, day=day))
    session.commit()
    html = text(client.get("/me/sobriety"))
    assert "4 of 90 meetings in 90 days" in html
    assert "6 logged in all" in html
    assert '<progress max="90" value="4"' in html


def test_a_log_entry_can_be_removed(client, session, make_meeting) -> None:
    m = make_meeting()
    logged_in(client)
    client.post(f"/meetings/{m.slug}/went")
    entry = session.scalar(select(Attendance))
    assert entry is not None
    assert client.post(f"/me/meeting-log/{entry.id}/delete").status_code == 302
    assert session.scalar(select(func.count(Attendance.id))) == 0


def test_log_is_exported_and_deleted_with_the_account(client, session, make_meeting) -> None:
    m = make_meeting(name="Step by Step")
    logged_in(client)
    client.post(f"/meetings/{m.slug}/went")
    client.post("/me/favorites/calendar")
    client.post("/lists", data={"title": "Mine", "slug": [m.slug], "do": "save"})
    assert session.scalar(select(func.count(CalendarFeed.id))) == 1
    data = json.loads(client.get("/me/export.json").data)
    assert data["meetings_attended"] == [
        {"day": today_in("UTC").isoformat(), "meeting": m.slug, "name": "Step by Step"}
    ]
    assert data["lists_made"][0]["title"] == "Mine"
    deleted = client.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert deleted.status_code == 302
    assert session.scalar(select(func.count(User.id))) == 0
    for model in (Attendance, CalendarFeed, MeetingList):
        assert session.scalar(select(func.count(model.id))) == 0, model


def test_every_exported_moment_is_iso_8601_with_its_utc_offset(client, make_meeting) -> None:
    m = make_meeting(name="Step by Step")
    logged_in(client)
    client.post(f"/meetings/{m.slug}/favorite")
    client.post("/me/sobriety", data={"date": today_in("UTC").isoformat()})
    client.post("/me/favorites/calendar")
    client.post("/lists", data={"title": "Mine", "slug": [m.slug], "do": "save"})
    data = json.loads(client.get("/me/export.json").data)
    moments = [
        data["exported_at"],
        data["account"]["created_at"],
        data["favorites"][0]["saved_at"],
        data["sobriety_dates"][0]["created_at"],
        data["sobriety_dates"][0]["updated_at"],
        data["lists_made"][0]["created_at"],
        data["lists_made"][0]["updated_at"],
        data["private_calendar"]["made_at"],
    ]
    for moment in moments:
        assert moment.endswith("+00:00"), moment
        assert dt.datetime.fromisoformat(moment).utcoffset() == dt.timedelta(0)
    assert len({len(moment) for moment in moments}) == 1  # all to the second, alike
    token = re.search(r"/calendars/([^.\"]+)\.ics", text(client.get("/me/favorites")))
    assert token and token.group(1) not in json.dumps(data)  # the secret address stays out


def test_the_delete_page_names_everything_and_the_shared_lists_that_stop_working(
    client, make_meeting
) -> None:
    m = make_meeting(name="Step by Step")
    logged_in(client)
    page = text(client.get("/me/delete"))
    for words in ("saved meetings", "dates", "log of meetings", "calendar address", "lists"):
        assert words in page, words
    assert "will stop working" not in page  # no lists yet: nothing to warn about
    for title in ("One", "Two"):
        client.post("/lists", data={"title": title, "slug": [m.slug], "do": "save"})
    page = text(client.get("/me/delete"))
    assert "You made 2 lists of meetings. Their links will stop working" in page


def test_your_data_names_what_is_kept_and_the_export_holds_it(client, make_meeting) -> None:
    m = make_meeting(name="Step by Step")
    logged_in(client)
    page = text(client.get("/me"))
    for words in (
        "your username",
        "time zone",
        "meetings you saved",
        "dates you added",
        "log of meetings",
        "private calendar address",
        "lists of meetings you made",
        "groups you organize",
        "seen by anyone with their link",
    ):
        assert words in page, words
    client.post(f"/meetings/{m.slug}/went")
    client.post("/me/favorites/calendar")
    data = json.loads(client.get("/me/export.json").data)
    assert {"favorites", "sobriety_dates", "meetings_attended", "lists_made"} <= set(data)
    assert data["private_calendar"] and data["groups_organized"] == []
