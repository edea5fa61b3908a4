"""Bad input gets a clear per-field error and loses nothing; posted text is escaped everywhere."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.models import Meeting
from tests.accounts_support import text
from tests.organize_support import admin, organizer, post_meeting


def field_error(page: str, field_id: str) -> str:
    """The error shown for one field (the macro's `<id>-error` paragraph)."""
    marker = f'id="{field_id}-error">'
    assert marker in page, f"no error for {field_id}"
    return html.unescape(page.split(marker, 1)[1].split("</p>", 1)[0])


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"conference_url": "http://zoom.us/j/1"}, "conference_url", "which is not secure"),
        ({"conference_url": "javascript:alert(1)"}, "conference_url", "starts with https://"),
        ({"conference_url": "https:///////////"}, "conference_url", "no site name after"),
        ({"conference_url": "https://zoom/j/81234567890"}, "conference_url", "“zoom” is not"),
        ({"conference_url": "https://zoom.us:port/j/1"}, "conference_url", "has a typo in it"),
        ({"conference_url": "https://<b>.example.org/"}, "conference_url", "is not the name of"),
        (
            {"conference_url": "https://gcc02.safelinks.protection.outlook.com/"},
            "conference_url",
            "Copy the link from the meeting's invitation itself.",
        ),
        ({"time": "25:00"}, "time", "19:30"),
        ({"end_time": "7pm"}, "end_time", "19:30"),
        ({"notes": "x" * 10_000}, "notes", "at most 4000"),
        ({"day": []}, "day", "at least one day"),
        ({"latitude": "95", "longitude": "10"}, "latitude", "between -90"),
        ({"latitude": "40.7", "longitude": ""}, "latitude", "both"),
        ({"conference_phone": "call me maybe"}, "conference_phone", "with its digits"),
        ({"conference_phone": "911"}, "conference_phone", "with its digits"),
        ({"end_time": "18:00"}, "end_time", "end before it starts"),
        ({"end_time": "19:00"}, "end_time", "same as the start"),
    ],
)
def test_bad_input_is_explained_and_kept(
    app: Flask, session: Session, overrides: dict[str, Any], field: str, says: str
) -> None:
    response = post_meeting(organizer(app), **overrides)
    assert response.status_code == 400
    page = text(response)
    assert says in field_error(page, field)
    assert 'value="Chelsea Serenity"' in page  # what was typed stays
    if field != "notes":
        assert "Use the side door." in page
    typed = overrides.get("conference_url") or overrides.get("time")
    if typed:
        assert f'value="{html.escape(typed)}"' in page
    if field == "notes":
        assert "x" * 10_000 in page
    assert session.scalar(select(func.count(Meeting.id))) == 0


@pytest.mark.parametrize(
    ("link", "says"),
    [
        ("https://not a url", "This link has a space in it"),
        ("https://zoom.us/j/81234567890 Passcode: 1234", "passcode goes in the notes below"),
        ("https://localhost/x", "“localhost” is not the name of a site on the internet."),
        ("https://zoom/j/81234567890", "like zoom.us or meet.google.com"),
        ("https://", "There is no site name after https://."),
        ("http://zoom.us/j/1", "starts with http://, which is not secure."),
        ("zoom.us/j/81234567890", "Enter a link that starts with https://"),
    ],
)
def test_each_wrong_link_is_told_what_is_wrong_with_it(
    app: Flask, session: Session, link: str, says: str
) -> None:
    """A link that starts with https:// is not told to start with https://."""
    response = post_meeting(organizer(app), conference_url=link)
    assert response.status_code == 400
    error = field_error(text(response), "conference_url")
    assert says in error
    if link.startswith("https://"):
        assert "Enter a link that starts with https://" not in error
    assert session.scalar(select(func.count(Meeting.id))) == 0


@pytest.mark.parametrize(
    "link",
    [
        "https://zoom.us/j/81234567890?pwd=Q1",
        "https://us02web.zoom.us/j/81234567890",
        "HTTPS://MEET.GOOGLE.COM/abc-defg-hij",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0",
        "https://zoom.us:443/j/1",
        "https://reunión.example.org/sala",
        "  https://zoom.us/j/81234567890  ",
    ],
)
def test_real_meeting_links_are_saved(app: Flask, session: Session, link: str) -> None:
    assert post_meeting(organizer(app), conference_url=link).status_code == 302
    assert session.scalars(select(Meeting)).one().conference_url == link.strip()


def test_an_address_nobody_can_find_offers_typing_the_point(
    app: Flask, session: Session, fake_geocoder: Any
) -> None:
    response = post_meeting(
        organizer(app), address="Nowhere Street 99, Qqqzzz", latitude="", longitude=""
    )
    assert response.status_code == 400
    page = text(response)
    assert "latitude and longitude below" in field_error(page, "address")
    assert '<details class="point" open>' in page
    assert 'value="Nowhere Street 99, Qqqzzz"' in page
    assert fake_geocoder.calls  # the configured geocoder was asked
    assert session.scalar(select(func.count(Meeting.id))) == 0


def test_typed_point_saves_directly_with_its_time_zone(app: Flask, session: Session) -> None:
    response = post_meeting(
        organizer(app), address="", latitude="34.052200", longitude="-118.243700"
    )
    assert response.status_code == 302
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.location.timezone == "America/Los_Angeles"


EVIL = '<script>alert("x")</script>'


def test_posted_text_is_escaped_on_the_page_feed_and_api(app: Flask, session: Session) -> None:
    sam = organizer(app)
    post_meeting(
        sam,
        name=f"Hope {EVIL}",
        group=f"Group {EVIL}",
        notes=f"Notes {EVIL} javascript:alert(1)",
        location=f"Hall {EVIL}",
        conference_phone_notes=f"Dial {EVIL}",
    )
    meeting = session.scalars(select(Meeting)).one()
    admin(app, session).post(f"/admin/review/{meeting.group_id}/approve")
    public = app.test_client()
    for url in (f"/meetings/{meeting.slug}", "/meetings?near=10011"):
        page = text(public.get(url))
        assert EVIL not in page
        assert "&lt;script&gt;" in page
        assert 'href="javascript:' not in page.lower()
    feed = public.get("/api/v1/feed.json")
    assert feed.mimetype == "application/json"
    row = feed.get_json()[0]
    assert row["name"] == f"Hope {EVIL}" and row["group"] == f"Group {EVIL}"
    api = public.get("/api/v1/meetings?near=10011")
    assert api.mimetype == "application/json"
    assert api.get_json()["meetings"][0]["name"] == f"Hope {EVIL}"
    assert EVIL not in text(public.get(f"/meetings/{meeting.slug}/suggest"))


@pytest.mark.parametrize(
    ("phone", "end_time"),
    [("+1 646 558 8656,,81234567890#", "20:00"), ("(212) 555-0100", "00:30")],
)
def test_real_dial_ins_and_meetings_past_midnight_are_saved(
    app: Flask, session: Session, phone: str, end_time: str
) -> None:
    response = post_meeting(
        organizer(app), conference_phone=phone, time="23:00" if end_time == "00:30" else "19:00",
        end_time=end_time,
    )  # fmt: skip
    assert response.status_code in (302, 303)
    saved = session.scalars(select(Meeting)).one()
    assert saved.conference_phone == phone
    assert saved.end_time is not None and saved.end_time.strftime("%H:%M") == end_time


@pytest.mark.parametrize("field", ["name", "group", "location", "notes", "conference_url_notes"])
def test_text_direction_overrides_are_refused_not_published(
    app: Flask, session: Session, field: str
) -> None:
    # U+202E turns the rest of a line around: the reviewer could not read what they approve.
    response = post_meeting(organizer(app), **{field: "Dawn \u202eGroup"})
    assert response.status_code == 400
    page = text(response)
    assert "characters that don't show" in field_error(page, field)
    assert "Use the side door." in page or field == "notes"
    assert session.scalar(select(func.count(Meeting.id))) == 0


def test_an_online_meeting_is_told_what_to_give_as_its_place(app: Flask, session: Session) -> None:
    """Every meeting needs a place for its time zone: one held only online gives its city."""
    sam = organizer(app)
    assert "For a meeting only online, its city" in text(sam.get("/organize/meetings/new"))
    nowhere = {
        "address": "",
        "latitude": "",
        "longitude": "",
        "conference_url": "https://zoom.us/j/1",
    }
    page = text(post_meeting(sam, **nowhere))
    assert "For a meeting only online, enter its city." in field_error(page, "address")


def test_a_link_pasted_from_an_email_is_saved_as_the_meetings_own(
    app: Flask, session: Session
) -> None:
    """Outlook hands out a Zoom link as its Safe Links address; the meeting's page links
    to Zoom, not through Microsoft's checker."""
    pasted = (
        "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fzoom.us%2Fj%2F"
        "81234567890%3Fpwd%3DQ1&data=05%7C02%7C%7C&reserved=0"
    )
    assert post_meeting(organizer(app), conference_url=pasted).status_code == 302
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.conference_url == "https://zoom.us/j/81234567890?pwd=Q1"


def test_a_services_home_page_is_refused_as_the_meetings_link(app) -> None:
    from tests.organize_support import organizer, post_meeting

    sam = organizer(app)
    answer = post_meeting(sam, conference_url="https://zoom.us/")
    assert answer.status_code == 400
    assert "This is Zoom's home page, not your meeting's link." in answer.get_data(as_text=True)
