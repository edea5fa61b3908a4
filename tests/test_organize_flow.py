"""Organizers post meetings, admins approve them, search and the feed follow (issue 9)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.geocoding import Place
from finder.models import Meeting, Source
from finder.organize.models import AuditEntry, GroupReview, Organizer
from tests.accounts_support import text
from tests.conftest import FakeGeocoder
from tests.organize_support import admin, meeting_form, organizer, post_meeting


@pytest.fixture(params=["sync", "off"])
def app_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Both search paths: the in-memory numpy index and the SQL fallback."""
    return {"SEARCH_INDEX": request.param}


def meeting_named(session: Session, name: str) -> Meeting:
    session.expire_all()
    return session.scalars(select(Meeting).where(Meeting.name == name)).one()


def search_names(client: Any, url: str = "/meetings?near=10011") -> str:
    """The result cards only: the page around them says the time it was printed, which at
    7:00 pm in New York would read as a meeting's "7:00"."""
    lists = re.findall(r'<ol class="results">.*?</ol>', text(client.get(url)), re.S)
    return "\n".join(lists)


def test_strangers_are_sent_to_log_in(client: Any) -> None:
    for url in ("/organize", "/organize/meetings/new", "/organize/suggestions", "/admin/review"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_a_new_groups_meeting_waits_everywhere_until_an_admin_approves_it(
    app: Flask, session: Session
) -> None:
    sam = organizer(app)
    response = post_meeting(sam, conference_url="https://zoom.us/j/123")
    assert response.status_code == 302
    meeting = meeting_named(session, "Chelsea Serenity")
    assert meeting.published is False
    assert meeting.source is not None and meeting.source.kind == "local"
    assert meeting.location.timezone == "America/New_York"
    public = app.test_client()
    assert "Chelsea Serenity" not in search_names(public)
    assert "Chelsea Serenity" not in text(public.get("/api/v1/meetings?near=10011"))
    assert "Chelsea Serenity" not in text(public.get("/api/v1/feed.json"))
    assert public.get(f"/meetings/{meeting.slug}").status_code == 404
    page = sam.get(f"/meetings/{meeting.slug}")
    assert page.status_code == 200 and "Not public." in text(page)
    assert "Waiting for an admin" in text(sam.get("/organize"))

    boss = admin(app, session)
    review = text(boss.get("/admin/review"))
    assert "Chelsea Group" in review and "Use the side door." in review
    group_id = meeting.group_id
    assert boss.post(f"/admin/review/{group_id}/approve").status_code == 302

    assert "Chelsea Serenity" in search_names(public)
    assert "Chelsea Serenity" in text(public.get("/api/v1/meetings?near=10011"))
    feed = public.get("/api/v1/feed.json").get_json()
    row = next(r for r in feed if r["name"] == "Chelsea Serenity")
    assert row["updated"] and row["time"] == "19:00"
    assert public.get(f"/meetings/{meeting.slug}").status_code == 200


def test_after_approval_an_edit_is_live_at_once(app: Flask, session: Session) -> None:
    sam, boss = organizer(app), admin(app, session)
    post_meeting(sam)
    meeting = meeting_named(session, "Chelsea Serenity")
    boss.post(f"/admin/review/{meeting.group_id}/approve")
    public = app.test_client()
    assert "7:00" in search_names(public)
    edit = f"/organize/meetings/{meeting.slug}/edit"
    assert sam.get(edit).status_code == 200
    form = {
        "name": "Chelsea Serenity",
        "group": "Chelsea Group",
        "fellowship": "aa",
        "day": ["1"],
        "time": "06:30",
        "location": "St. Peter's Hall",
        "address": "346 W 20th St, New York, NY 10011",
        "checked_address": "346 W 20th St, New York, NY 10011",
        "latitude": "40.748400",
        "longitude": "-73.985700",
    }
    assert sam.post(edit, data=form).status_code == 302
    html = search_names(public)
    assert "6:30" in html and "7:00" not in html
    assert meeting_named(session, "Chelsea Serenity").published is True
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
    assert entry.changes["time"] == ["19:00", "06:30"]
    history = text(sam.get(f"/organize/groups/{meeting.group_id}/audit"))
    assert "<li>Start time: 19:00 → 06:30</li>" in history
    assert "<li>Types: Open, Discussion → —</li>" in history  # names, not ['O', 'D']
    spanish = text(boss.get("/admin/audit?lang=es"))
    assert "Hora de inicio: 19:00 → 06:30" in spanish


def test_several_days_make_one_meeting_each_in_one_group(app: Flask, session: Session) -> None:
    client = organizer(app)
    saved = client.post(
        "/organize/meetings/new", data=meeting_form(day=["1", "3", "5"]), follow_redirects=True
    )
    page = saved.get_data(as_text=True)
    assert "Saved 3 meetings." in page and "They are waiting for an admin" in page
    meetings = session.scalars(select(Meeting).order_by(Meeting.day)).all()
    assert [m.day for m in meetings] == [1, 3, 5]
    assert len({m.group_id for m in meetings}) == 1
    assert len({m.slug for m in meetings}) == 3
    assert session.scalar(select(Organizer.user_id)) is not None


def test_rejection_reason_reaches_the_organizer(app: Flask, session: Session) -> None:
    sam, boss = organizer(app), admin(app, session)
    post_meeting(sam)
    group_id = meeting_named(session, "Chelsea Serenity").group_id
    boss.post(f"/admin/review/{group_id}/reject", data={"reason": "No such hall <b>here</b>"})
    dashboard = text(sam.get("/organize"))
    assert "Rejected by an admin." in dashboard
    assert "No such hall &lt;b&gt;here&lt;/b&gt;" in dashboard
    assert session.get(GroupReview, group_id).state == "rejected"  # type: ignore[union-attr]
    assert "Chelsea Serenity" not in search_names(app.test_client())


def test_admin_unpublishes_and_the_meeting_leaves_search(app: Flask, session: Session) -> None:
    sam, boss = organizer(app), admin(app, session)
    post_meeting(sam)
    meeting = meeting_named(session, "Chelsea Serenity")
    boss.post(f"/admin/review/{meeting.group_id}/approve")
    assert "Chelsea Serenity" in search_names(app.test_client())
    boss.post(f"/admin/meetings/{meeting.slug}/unpublish", data={"reason": "Reported as fake"})
    assert "Chelsea Serenity" not in search_names(app.test_client())
    assert app.test_client().get(f"/meetings/{meeting.slug}").status_code == 404
    assert "Reported as fake" in text(sam.get("/organize"))
    boss.post(f"/admin/meetings/{meeting.slug}/republish")
    assert "Chelsea Serenity" in search_names(app.test_client())


def test_an_admins_new_group_needs_no_review(app: Flask, session: Session) -> None:
    post_meeting(admin(app, session))
    assert meeting_named(session, "Chelsea Serenity").published is True
    assert session.scalar(select(Source.kind).where(Source.kind == "local")) == "local"


ONLINE_ANYWHERE = "/meetings?attendance=online"


def test_an_online_only_meeting_waits_for_approval_in_online_anywhere(
    app: Flask, session: Session, fake_geocoder: FakeGeocoder
) -> None:
    fake_geocoder.places["new york, ny"] = Place(40.71427, -74.00597, "New York City", True)
    sam = organizer(app)
    online = {"address": "New York, NY", "latitude": "", "longitude": ""}
    first = post_meeting(sam, conference_url="https://zoom.us/j/123", **online)
    assert first.status_code == 200 and "Address found:" in text(first)
    assert "approximate" in text(first) and "Time zone:</strong> Eastern Time" in text(first)
    assert session.scalar(select(Meeting.id)) is None  # shown back, not saved yet
    point = {"latitude": "40.714270", "longitude": "-74.005970", "checked_address": "New York, NY"}
    post_meeting(sam, conference_url="https://zoom.us/j/123", address="New York, NY", **point)
    meeting = meeting_named(session, "Chelsea Serenity")
    assert meeting.attendance == "online"
    public = app.test_client()
    assert "Chelsea Serenity" not in search_names(public, ONLINE_ANYWHERE)
    admin(app, session).post(f"/admin/review/{meeting.group_id}/approve")
    assert "Chelsea Serenity" in search_names(public, ONLINE_ANYWHERE)


def test_a_street_address_the_offline_geocoder_places_roughly_is_still_a_room(
    app: Flask, session: Session
) -> None:
    """The default (offline) geocoder knows only the ZIP code of "1500 Market St": the meeting is
    still in person, at its typed address, with a rough pin; directions go by the address."""
    sam = organizer(app)
    typed = {"address": "1500 Market St, Philadelphia, PA 19102", "latitude": "", "longitude": ""}
    preview = post_meeting(sam, **typed)
    assert preview.status_code == 200
    page = text(preview)
    assert "1500 Market St, Philadelphia, PA 19102" in page
    # Placed at its ZIP code only: not "found", which would read as checked.
    assert "Address as typed (not checked street by street):" in page
    assert "Address found:" not in page
    assert "add the street address" not in page  # it is there already
    assert "The map pin is only approximate" in page
    found = dict(typed, latitude="39.9489", longitude="-75.1661", checked_address=typed["address"])
    assert post_meeting(sam, **found).status_code == 302
    location = meeting_named(session, "Chelsea Serenity").location
    assert (location.approximate, location.rough_point) == (False, True)
    assert location.formatted_address == "1500 Market St, Philadelphia, PA 19102"
    assert meeting_named(session, "Chelsea Serenity").attendance == "in_person"


@pytest.mark.parametrize("city", ["Sydney, Australia", "Boston, MA", "Denver"])
def test_a_city_alone_is_an_area_so_an_online_meeting_stays_online(
    app: Flask, session: Session, city: str
) -> None:
    """The offline geocoder finds a city by name exactly, but a city is no room to go to:
    a meeting with a join link there is online only, not hybrid with directions to the centre."""
    sam = organizer(app)
    typed = {
        "address": city,
        "latitude": "",
        "longitude": "",
        "conference_url": "https://zoom.us/j/1",
    }
    preview = post_meeting(sam, **typed)
    assert preview.status_code == 200
    assert "This is an exact address." not in text(preview)
    assert "only approximate" in text(preview)
    shown = {k: re.search(f'id="{k}"[^>]*value="([^"]*)"', text(preview))[1]  # type: ignore[index]
             for k in ("latitude", "longitude")}  # fmt: skip
    found = dict(typed, checked_address=city, **shown)
    assert post_meeting(sam, **found).status_code == 302
    meeting = meeting_named(session, "Chelsea Serenity")
    assert meeting.location.approximate is True
    assert meeting.attendance == "online"


def test_a_building_an_online_geocoder_finds_exactly_is_still_a_room(
    app: Flask, session: Session, fake_geocoder: FakeGeocoder
) -> None:
    address = "Empire State Building, New York, NY 10118"
    fake_geocoder.places[address.lower()] = Place(40.7484, -73.9857, "Empire State Building")
    sam = organizer(app)
    typed = {"address": address, "latitude": "40.7484", "longitude": "-73.9857"}
    post_meeting(sam, conference_url="https://zoom.us/j/1", checked_address=address, **typed)
    meeting = meeting_named(session, "Chelsea Serenity")
    assert meeting.location.approximate is False
    assert meeting.attendance == "hybrid"


def test_a_point_typed_over_a_rough_pin_is_saved_as_exact(app: Flask, session: Session) -> None:
    """The page says "To place the pin exactly, type the latitude and longitude below": a
    point changed from the one the look-up found is the organizer's own, not a rough pin."""
    sam = organizer(app)
    address = "1500 Market St, Philadelphia, PA 19102"
    preview = text(post_meeting(sam, address=address, latitude="", longitude=""))
    assert "To place the pin exactly" in preview
    exact = {"latitude": "39.952600", "longitude": "-75.165200", "checked_address": address}
    assert post_meeting(sam, address=address, **exact).status_code == 302
    location = meeting_named(session, "Chelsea Serenity").location
    assert (location.latitude, location.longitude) == (39.9526, -75.1652)
    assert (location.approximate, location.rough_point) == (False, False)
    assert meeting_named(session, "Chelsea Serenity").attendance == "in_person"


def test_saving_an_edit_again_corrects_how_the_place_is_marked(
    app: Flask, session: Session
) -> None:
    """A town saved as if it were a room (before towns were areas) is put right by the next
    save, though its name, address and point are unchanged."""
    sam = organizer(app)
    point = {"latitude": "39.739200", "longitude": "-104.984700", "checked_address": "Denver, CO"}
    form = meeting_form(address="Denver, CO", conference_url="https://zoom.us/j/1", **point)
    assert sam.post("/organize/meetings/new", data=form).status_code == 302
    meeting = meeting_named(session, "Chelsea Serenity")
    meeting.location.approximate = False  # as saved before
    session.commit()
    assert meeting_named(session, "Chelsea Serenity").attendance == "hybrid"
    edit = f"/organize/meetings/{meeting.slug}/edit"
    assert sam.post(edit, data=form).status_code == 302
    assert meeting_named(session, "Chelsea Serenity").location.approximate is True
    assert meeting_named(session, "Chelsea Serenity").attendance == "online"


def test_the_reviewer_sees_every_text_the_meeting_page_will_show(
    app: Flask, session: Session
) -> None:
    """The link's and the phone's notes are shown on the public page: the admin reads them
    before approving (they are where a passcode, or an advertisement, would go)."""
    sam = organizer(app)
    online = {
        "conference_url": "https://zoom.us/j/123",
        "conference_url_notes": "Passcode: 4321",
        "conference_phone": "+1 646 558 8656",
        "conference_phone_notes": "Cheap pills at pills.example",
    }
    assert post_meeting(sam, **online).status_code == 302
    review = text(admin(app, session).get("/admin/review"))
    assert "Passcode: 4321" in review
    assert "Cheap pills at pills.example" in review
    assert "Monday 7:00 pm – 8:00 pm" in review  # the end time too


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Esperanza en línea", "esperanza-en-linea"), ("Reunión 🌅 Año Nuevo", "reunion-ano-nuevo")],
)
def test_a_spanish_name_makes_a_readable_address(
    app: Flask, session: Session, name: str, slug: str
) -> None:
    assert post_meeting(organizer(app), name=name).status_code == 302
    assert meeting_named(session, name).slug == slug


@pytest.mark.parametrize("reason", ["Fake\u202e link", "x" * 2001])
def test_a_refused_reason_says_why_nothing_happened(
    app: Flask, session: Session, reason: str
) -> None:
    sam, boss = organizer(app), admin(app, session)
    post_meeting(sam)
    meeting = meeting_named(session, "Chelsea Serenity")
    reject = boss.post(
        f"/admin/review/{meeting.group_id}/reject", data={"reason": reason}, follow_redirects=True
    )
    assert "Nothing was changed:" in text(reject)
    assert session.get(GroupReview, meeting.group_id).state == "pending"  # type: ignore[union-attr]
    boss.post(f"/admin/review/{meeting.group_id}/approve")
    unpublish = boss.post(
        f"/admin/meetings/{meeting.slug}/unpublish", data={"reason": reason}, follow_redirects=True
    )
    assert "Nothing was changed:" in text(unpublish)
    assert meeting_named(session, "Chelsea Serenity").published is True


def test_a_hidden_meetings_page_says_why_it_is_hidden(app: Flask, session: Session) -> None:
    sam, boss = organizer(app), admin(app, session)
    post_meeting(sam)
    meeting = meeting_named(session, "Chelsea Serenity")
    page = f"/meetings/{meeting.slug}"
    assert "the group is waiting for an admin to approve it." in text(sam.get(page))
    boss.post(f"/admin/review/{meeting.group_id}/approve")
    boss.post(f"/admin/meetings/{meeting.slug}/unpublish", data={"reason": "Reported as fake"})
    hidden = text(sam.get(page))
    assert "an admin unpublished the meeting. Reason: Reported as fake" in hidden
    assert "was rejected" not in hidden
