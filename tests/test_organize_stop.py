"""A group says its meeting no longer meets: off the listings, its page tells visitors, and it
can be listed again."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.organize.models import AuditEntry
from tests.accounts_support import text
from tests.organize_support import live_meeting, meeting_form, organizer, post_meeting

SEARCH = "/meetings?lat=40.742&lng=-74.000"


def test_a_meeting_that_stopped_leaves_the_listings_and_says_so(
    app: Flask, session: Session
) -> None:
    sam, _boss, meeting = live_meeting(app, session)
    # Another meeting nearby at the same time, for whoever comes to the stopped one's page.
    post_meeting(sam, name="Village Serenity", group="Chelsea Group")
    visitor = app.test_client()
    assert "Chelsea Serenity" in text(visitor.get(SEARCH))
    visitor.post(f"/meetings/{meeting.slug}/favorite")  # saved in this browser
    visitor.get("/me/favorites")  # its "Saved" message shown

    done = sam.post(f"/organize/meetings/{meeting.slug}/stop")
    assert done.status_code == 302
    dashboard = text(sam.get("/organize"))
    assert "is off the listings" in dashboard
    assert "Stopped: not listed" in dashboard and "It meets again" in dashboard

    assert "Chelsea Serenity" not in text(visitor.get(SEARCH))
    assert meeting.slug not in text(visitor.get("/api/v1/feed.json"))
    page = visitor.get(f"/meetings/{meeting.slug}")
    assert page.status_code == 410
    assert "Its group says this meeting no longer meets." in text(page)
    assert "Village Serenity" in text(page)  # the same time nearby
    assert "No longer listed" in text(visitor.get("/me/favorites"))
    # Its organizers still see it, and why it is not public.
    own = text(sam.get(f"/meetings/{meeting.slug}"))
    assert "its group says it no longer meets" in own

    sam.post(f"/organize/meetings/{meeting.slug}/restart")
    assert "is listed again" in text(sam.get("/organize"))
    assert "Chelsea Serenity" in text(visitor.get(SEARCH))
    assert visitor.get(f"/meetings/{meeting.slug}").status_code == 200
    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["stop", "restart"]


def test_editing_a_stopped_meeting_keeps_it_off_the_listings(app: Flask, session: Session) -> None:
    sam, _boss, meeting = live_meeting(app, session)
    sam.post(f"/organize/meetings/{meeting.slug}/stop")
    form_page = sam.get(f"/organize/meetings/{meeting.slug}/edit")
    assert form_page.status_code == 200
    sam.post(f"/organize/meetings/{meeting.slug}/edit", data=meeting_form(notes="New door."))
    session.expire_all()
    assert session.get(Meeting, meeting.id).published is False  # type: ignore[union-attr]


def test_only_its_organizers_may_stop_a_meeting(app: Flask, session: Session) -> None:
    _sam, _boss, meeting = live_meeting(app, session)
    stranger = organizer(app, "eve")
    assert stranger.post(f"/organize/meetings/{meeting.slug}/stop").status_code == 403
    assert app.test_client().post(f"/organize/meetings/{meeting.slug}/stop").status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).published is True  # type: ignore[union-attr]


def test_meeting_again_while_an_admin_has_it_unpublished_stays_off(
    app: Flask, session: Session
) -> None:
    sam, boss, meeting = live_meeting(app, session)
    boss.post(f"/admin/meetings/{meeting.slug}/unpublish", data={"reason": "Duplicate"})
    sam.post(f"/organize/meetings/{meeting.slug}/stop")
    sam.post(f"/organize/meetings/{meeting.slug}/restart")
    assert "an admin unpublished it: it stays off the listings" in text(sam.get("/organize"))
    session.expire_all()
    assert session.get(Meeting, meeting.id).published is False  # type: ignore[union-attr]
    # Hidden by an admin, it is no "no longer meets" page for visitors: simply not found.
    assert app.test_client().get(f"/meetings/{meeting.slug}").status_code == 404
