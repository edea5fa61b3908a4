"""A group's organizers: seen on the Organize page, invitations withdrawn or declined,
organizers removed or leaving, and never a group left without one."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.organize.models import AuditEntry, Invitation, Organizer
from tests.organize_support import admin, organizer, post_meeting


def text(response: Any) -> str:
    """The page's words, tags left out."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(words).split())


def posted(app: Flask, session: Session) -> tuple[Any, Meeting]:
    sam = organizer(app, "sam")
    post_meeting(sam)
    return sam, session.scalars(select(Meeting)).one()


def action(page: str, what: str) -> str:
    """The form action of the first button or form whose path ends in /<what>."""
    found = re.search(rf'action="(/organize/[^"]+/{what})"', page)
    assert found, f"no {what} form on the page"
    return found.group(1)


def invite(sam: Any, group_id: int, username: str) -> None:
    response = sam.post(f"/organize/groups/{group_id}/invite", data={"username": username})
    assert response.status_code == 302


def join(app: Flask, sam: Any, group_id: int, username: str) -> Any:
    client = organizer(app, username)
    invite(sam, group_id, username)
    client.post(action(client.get("/organize").get_data(as_text=True), "accept"))
    return client


def test_the_organize_page_names_the_groups_organizers_and_open_invitations(app, session):
    sam, meeting = posted(app, session)
    join(app, sam, meeting.group_id, "ann")
    organizer(app, "bob")
    invite(sam, meeting.group_id, "bob")
    page = text(sam.get("/organize"))
    assert "Organizers" in page
    assert "sam (you)" in page and "ann" in page
    assert "bob (invited, not answered yet)" in page


def test_an_invitation_can_be_withdrawn_and_then_not_accepted(app, session):
    sam, meeting = posted(app, session)
    bob = organizer(app, "bob")
    invite(sam, meeting.group_id, "bob")
    accept = action(bob.get("/organize").get_data(as_text=True), "accept")
    withdraw = action(sam.get("/organize").get_data(as_text=True), "withdraw")
    assert "Invitation to bob withdrawn." in text(sam.post(withdraw, follow_redirects=True))
    assert "invited you to help organize" not in text(bob.get("/organize"))
    assert bob.post(accept).status_code == 404
    assert bob.get(f"/organize/meetings/{meeting.slug}/edit").status_code == 403
    assert "withdraw invitation" in text(sam.get("/organize/audit"))


def test_only_the_groups_organizers_may_withdraw_its_invitation(app, session):
    sam, meeting = posted(app, session)
    organizer(app, "bob")
    invite(sam, meeting.group_id, "bob")
    withdraw = action(sam.get("/organize").get_data(as_text=True), "withdraw")
    eve = organizer(app, "eve")
    assert eve.post(withdraw).status_code == 403
    assert session.scalars(select(Invitation)).one()  # still there


def test_the_invited_account_can_decline(app, session):
    sam, meeting = posted(app, session)
    bob = organizer(app, "bob")
    invite(sam, meeting.group_id, "bob")
    page = bob.get("/organize").get_data(as_text=True)
    decline = action(page, "decline")
    assert sam.post(decline).status_code == 404  # not sam's invitation to decline
    assert "Invitation declined." in text(bob.post(decline, follow_redirects=True))
    assert "invited you to help organize" not in text(bob.get("/organize"))
    assert "invited, not answered" not in text(sam.get("/organize"))
    assert bob.post(action(page, "accept")).status_code == 404
    invite(sam, meeting.group_id, "bob")  # and may be asked again
    assert "invited you to help organize" in text(bob.get("/organize"))


def test_an_organizer_can_remove_another_who_then_loses_access(app, session):
    sam, meeting = posted(app, session)
    ann = join(app, sam, meeting.group_id, "ann")
    edit = f"/organize/meetings/{meeting.slug}/edit"
    assert ann.get(edit).status_code == 200
    ann_row = session.scalars(
        select(Organizer).join(Organizer.user).where(Organizer.user_id != _user_id(session, "sam"))
    ).one()
    url = f"/organize/groups/{meeting.group_id}/organizers/{ann_row.id}/remove"
    assert f'action="{url}"' in sam.get("/organize").get_data(as_text=True)
    assert "ann no longer organizes this group." in text(sam.post(url, follow_redirects=True))
    assert ann.get(edit).status_code == 403
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "remove organizer"


def test_the_last_organizer_cannot_leave_or_be_removed(app, session):
    sam, meeting = posted(app, session)
    page = sam.get("/organize").get_data(as_text=True)
    assert "/remove" not in page  # no button that could only fail
    assert "only organizer, so you can't leave it yet" in text(sam.get("/organize"))
    own = session.scalars(select(Organizer)).one()
    url = f"/organize/groups/{meeting.group_id}/organizers/{own.id}/remove"
    boss = admin(app, session)
    answer = text(boss.post(url, follow_redirects=True))
    assert "A group needs at least one organizer" in answer
    session.expire_all()
    assert session.scalars(select(Organizer)).one().id == own.id
    assert sam.get(f"/organize/meetings/{meeting.slug}/edit").status_code == 200


def test_an_organizer_can_leave_when_another_stays(app, session):
    sam, meeting = posted(app, session)
    ann = join(app, sam, meeting.group_id, "ann")
    page = ann.get("/organize").get_data(as_text=True)
    own = session.scalars(
        select(Organizer).where(Organizer.user_id == _user_id(session, "ann"))
    ).one()
    url = f"/organize/groups/{meeting.group_id}/organizers/{own.id}/remove"
    assert "Leave this group" in text(ann.get("/organize"))
    assert f'action="{url}"' in page
    assert "You no longer organize this group." in text(ann.post(url, follow_redirects=True))
    assert ann.get(f"/organize/meetings/{meeting.slug}/edit").status_code == 403
    assert "sam (you)" in text(sam.get("/organize"))  # sam still runs it
    assert "leave group" in text(sam.get("/organize/audit"))


def test_an_outsider_cannot_remove_an_organizer_or_use_another_groups_id(app, session):
    sam, meeting = posted(app, session)
    join(app, sam, meeting.group_id, "ann")
    ann_id = _user_id(session, "ann")
    ann_row = session.scalars(select(Organizer).where(Organizer.user_id == ann_id)).one()
    eve = organizer(app, "eve")
    post_meeting(eve, group="Eve Group", name="Eve Meeting")
    eve_group = session.scalars(select(Meeting).where(Meeting.name == "Eve Meeting")).one()
    url = f"/organize/groups/{meeting.group_id}/organizers/{ann_row.id}/remove"
    assert eve.post(url).status_code == 403
    # Eve's own group in the path does not reach an organizer of another group.
    other = f"/organize/groups/{eve_group.group_id}/organizers/{ann_row.id}/remove"
    assert eve.post(other).status_code == 404
    assert (
        sam.post(f"/organize/groups/{meeting.group_id}/organizers/9999/remove").status_code == 404
    )
    session.expire_all()
    assert session.get(Organizer, ann_row.id) is not None


def _user_id(session: Session, username: str) -> int:
    from finder.accounts.models import User

    return session.scalars(select(User.id).where(User.username_key == username)).one()


def test_an_invitation_names_who_sent_it_while_their_account_exists(app, session):
    """An invitation from someone unknown can then be declined."""
    from tests.accounts_support import PASSWORD

    sam, meeting = posted(app, session)
    ann = join(app, sam, meeting.group_id, "ann")
    bob = organizer(app, "bob")
    invite(ann, meeting.group_id, "bob")
    page = text(bob.get("/organize"))
    assert "ann invited you to help organize “Chelsea Group”." in page
    deleted = ann.post("/me/delete", data={"password": PASSWORD, "confirm": "y"})
    assert deleted.status_code == 302
    page = text(bob.get("/organize"))
    assert "You are invited to help organize “Chelsea Group”." in page  # still there
    assert "ann invited" not in page
