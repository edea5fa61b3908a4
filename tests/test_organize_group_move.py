"""Moving a listed meeting to a group not yet approved takes it off the listings: the
organizer is told so, and saves it only by tapping "Save meeting" again."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.models import Group, Meeting
from tests.accounts_support import text
from tests.organize_support import live_meeting, meeting_form, organizer, post_meeting

ADDRESS = "346 W 20th St, New York, NY 10011"
WARNING = "This meeting would leave the listings."


def edit(client: FlaskClient, meeting: Meeting, **overrides: Any) -> Any:
    """Save the edit form as the page shows it (its point already checked), changed so."""
    data = meeting_form(checked_address=ADDRESS, **overrides)
    return client.post(f"/organize/meetings/{meeting.slug}/edit", data=data)


def hidden(page: str, name: str) -> str:
    """A value the page carries to the next tap, as a browser sends it back."""
    match = re.search(f'name="{name}" type="hidden" value="([^"]*)"', page)
    assert match, f"no {name} on the page"
    return html.unescape(match[1])


def listed(app: Flask, meeting: Meeting) -> bool:
    public = app.test_client()
    found = "Chelsea Serenity" in text(public.get("/meetings?near=10011"))
    page = public.get(f"/meetings/{meeting.slug}").status_code
    assert found == (page == 200)
    return found


def test_a_new_group_name_on_a_listed_meeting_is_saved_only_at_the_second_tap(
    app: Flask, session: Session
) -> None:
    sam, _boss, meeting = live_meeting(app, session)
    first = edit(sam, meeting, group="Chelsea Groupp", notes="Side door, then downstairs.")
    assert first.status_code == 200
    page = text(first)
    assert WARNING in page
    assert "“Chelsea Groupp” would be a new group, and a new group waits for an admin" in page
    assert "its page says “not found” to everyone who has the link" in page
    assert "To keep it listed, keep the group “Chelsea Group”" in page
    assert "To move it anyway, tap “Save meeting” again." in page
    assert 'value="Chelsea Groupp"' in page and "Side door, then downstairs." in page
    session.expire_all()
    assert listed(app, meeting) and meeting.group.name == "Chelsea Group"
    assert meeting.notes == "Use the side door."  # nothing saved yet
    assert session.scalar(select(func.count(Group.id))) == 1

    again = hidden(page, "confirmed_group")
    saved = edit(sam, meeting, group="Chelsea Groupp", confirmed_group=again)
    assert saved.status_code == 302
    assert "waiting for an admin to approve the group" in text(sam.get("/organize"))
    session.expire_all()
    assert meeting.group.name == "Chelsea Groupp"
    assert not listed(app, meeting)


def test_typing_the_old_group_back_saves_and_stays_listed(app: Flask, session: Session) -> None:
    sam, _boss, meeting = live_meeting(app, session)
    page = text(edit(sam, meeting, group="Chelsea Groupp"))
    confirmed = hidden(page, "confirmed_group")
    kept = edit(sam, meeting, group="Chelsea Group", time="18:30", confirmed_group=confirmed)
    assert kept.status_code == 302
    session.expire_all()
    assert listed(app, meeting) and meeting.time.strftime("%H:%M") == "18:30"


def test_another_new_name_after_the_warning_is_warned_of_again(
    app: Flask, session: Session
) -> None:
    sam, _boss, meeting = live_meeting(app, session)
    page = text(edit(sam, meeting, group="Chelsea Groupp"))
    retyped = edit(
        sam, meeting, group="Chelsea <b>Gruop</b>", confirmed_group=hidden(page, "confirmed_group")
    )
    assert retyped.status_code == 200
    again = text(retyped)
    assert WARNING in again
    assert "“Chelsea &lt;b&gt;Gruop&lt;/b&gt;” would be a new group" in again
    assert hidden(again, "confirmed_group") == "Chelsea <b>Gruop</b>"
    session.expire_all()
    assert listed(app, meeting) and meeting.group.name == "Chelsea Group"


def test_a_group_still_waiting_for_review_is_named_as_such(app: Flask, session: Session) -> None:
    sam, _boss, meeting = live_meeting(app, session)
    post_meeting(sam, name="Other meeting", group="Dawn Group")  # pending
    page = text(edit(sam, meeting, group="dawn group"))
    assert WARNING in page
    assert "The group “dawn group” is waiting for an admin to approve it." in page
    session.expire_all()
    assert listed(app, meeting)


def test_moves_that_keep_the_meeting_listed_save_at_once(app: Flask, session: Session) -> None:
    sam, boss, meeting = live_meeting(app, session)
    post_meeting(sam, name="Other meeting", group="Dawn Group")
    other = session.scalars(select(Meeting).where(Meeting.name == "Other meeting")).one()
    boss.post(f"/admin/review/{other.group_id}/approve")
    assert edit(sam, meeting, group="Dawn Group").status_code == 302  # approved, theirs
    assert edit(boss, meeting, group="Boss Group").status_code == 302  # an admin's is approved
    session.expire_all()
    assert meeting.group.name == "Boss Group" and listed(app, meeting)


def test_a_meeting_not_yet_listed_changes_group_without_a_warning(
    app: Flask, session: Session
) -> None:
    sam = organizer(app)
    post_meeting(sam)
    meeting = session.scalars(select(Meeting)).one()
    assert edit(sam, meeting, group="Chelsea Groupp").status_code == 302
    session.expire_all()
    assert meeting.group.name == "Chelsea Groupp"


def test_a_new_address_and_a_new_group_are_both_shown_before_one_second_tap(
    app: Flask, session: Session
) -> None:
    sam, _boss, meeting = live_meeting(app, session)
    address = "1500 Market St, Philadelphia, PA 19102"
    moved = {"group": "Chelsea Groupp", "address": address}
    first = sam.post(
        f"/organize/meetings/{meeting.slug}/edit",
        data=meeting_form(latitude="", longitude="", **moved),
    )
    page = text(first)
    assert (
        first.status_code == 200
        and WARNING in page
        and "Check it, then tap “Save meeting” again." in page
    )
    shown = {k: hidden(page, k) for k in ("checked_address", "confirmed_group")}
    point = {k: re.search(f'id="{k}"[^>]*value="([^"]*)"', page)[1]  # type: ignore[index]
             for k in ("latitude", "longitude")}  # fmt: skip
    saved = sam.post(
        f"/organize/meetings/{meeting.slug}/edit", data=meeting_form(**moved, **shown, **point)
    )
    assert saved.status_code == 302
    session.expire_all()
    assert meeting.group.name == "Chelsea Groupp" and meeting.location.address == address
