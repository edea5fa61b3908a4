"""A meeting posted for several days is edited once, for all its days, when the organizer asks."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.organize.models import AuditEntry
from tests.accounts_support import text
from tests.organize_support import meeting_form, organizer, post_meeting

MWF = ["1", "3", "5"]


def by_day(session: Session, name: str = "Chelsea Serenity") -> dict[int, Meeting]:
    session.expire_all()
    return {m.day: m for m in session.scalars(select(Meeting).where(Meeting.name == name))}


def monday_slug(session: Session) -> str:
    return by_day(session)[1].slug


def edit(client: FlaskClient, slug: str, **changes: object) -> str:
    form = meeting_form(**changes)
    answer = client.post(f"/organize/meetings/{slug}/edit", data=form, follow_redirects=True)
    return text(answer)


def test_the_edit_form_offers_the_same_change_on_the_other_days(
    app: Flask, session: Session
) -> None:
    sam = organizer(app)
    post_meeting(sam, day=MWF)
    page = text(sam.get(f"/organize/meetings/{monday_slug(session)}/edit"))
    assert "Make the same change on its other days: Wednesday and Friday" in page
    spanish = text(sam.get(f"/organize/meetings/{monday_slug(session)}/edit?lang=es"))
    assert "Hacer el mismo cambio en sus otros días: miércoles y viernes" in spanish
    # A meeting on one day has nothing to offer.
    post_meeting(sam, name="Lunch Bunch", day=["2"])
    alone = by_day(session, "Lunch Bunch")[2]
    assert "Make the same change" not in text(sam.get(f"/organize/meetings/{alone.slug}/edit"))


def test_the_same_change_reaches_every_day_and_each_keeps_its_own(
    app: Flask, session: Session
) -> None:
    sam = organizer(app)
    post_meeting(sam, day=MWF)
    page = edit(sam, monday_slug(session), day=["1"], time="19:30", end_time="20:45",
                fellowship="na", conference_url="https://zoom.us/j/123456789",
                same_change="y")  # fmt: skip
    assert "Saved your changes to 3 meetings." in page
    days = by_day(session)
    assert sorted(days) == [1, 3, 5]  # no day lost, none doubled
    for meeting in days.values():
        assert (meeting.time.strftime("%H:%M"), meeting.end_time.strftime("%H:%M")) == (
            "19:30",
            "20:45",
        )
        assert meeting.fellowship.code == "na"
        assert meeting.conference_url == "https://zoom.us/j/123456789"
    edits = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).all()
    assert len(edits) == 3  # each meeting's history says what changed on it


def test_without_asking_only_that_day_changes(app: Flask, session: Session) -> None:
    sam = organizer(app)
    post_meeting(sam, day=MWF)
    assert "Saved your changes." in edit(
        sam, monday_slug(session), day=["1"], time="20:00", end_time="21:00"
    )
    days = by_day(session)
    assert days[1].time.strftime("%H:%M") == "20:00"
    assert days[3].time.strftime("%H:%M") == days[5].time.strftime("%H:%M") == "19:00"
    # Wednesday and Friday are no longer at Monday's time: not its other days any more.
    page = text(sam.get(f"/organize/meetings/{days[1].slug}/edit"))
    assert "Make the same change" not in page


def test_ticking_a_day_it_already_has_makes_no_second_copy(app: Flask, session: Session) -> None:
    sam = organizer(app)
    post_meeting(sam, day=["1", "3"])
    edit(sam, monday_slug(session), day=["1", "3", "6"], notes="Bring a friend.")
    days = session.scalars(select(Meeting.day).where(Meeting.name == "Chelsea Serenity")).all()
    assert sorted(days) == [1, 3, 6]


def test_a_new_place_moves_every_day_only_when_asked(app: Flask, session: Session) -> None:
    sam = organizer(app)
    post_meeting(sam, day=MWF)
    moved = {"location": "Grace Church", "address": "200 W 20th St, New York, NY 10011",
             "latitude": "40.742000", "longitude": "-73.997000"}  # fmt: skip
    edit(sam, monday_slug(session), day=["1"], **moved)
    days = by_day(session)
    assert days[1].location.name == "Grace Church"
    assert days[3].location.name == days[5].location.name == "St. Peter's Hall"

    post_meeting(sam, name="Step by Step", day=MWF)
    steps = by_day(session, "Step by Step")
    edit(sam, steps[1].slug, name="Step by Step", day=["1"], same_change="y", **moved)
    steps = by_day(session, "Step by Step")
    assert {m.location.name for m in steps.values()} == {"Grace Church"}
    assert len({m.location_id for m in steps.values()}) == 1


def test_another_groups_meeting_with_the_same_name_is_never_touched(
    app: Flask, session: Session
) -> None:
    sam, kim = organizer(app), organizer(app, "kim")
    post_meeting(sam, day=["1"])
    post_meeting(kim, group="Kim's Group", day=["3"])
    days = by_day(session)
    assert "Make the same change" not in text(sam.get(f"/organize/meetings/{days[1].slug}/edit"))
    edit(sam, days[1].slug, day=["1"], time="21:00", end_time="22:00", same_change="y")
    assert by_day(session)[3].time.strftime("%H:%M") == "19:00"
