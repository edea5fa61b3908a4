"""Who may do what: organizers only on their groups, admins on everything, CSRF on every POST."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.models import Meeting
from finder.organize.models import AuditEntry, Suggestion
from tests.accounts_support import csrf_token, register, text
from tests.organize_support import admin, meeting_form, organizer, post_meeting


def posted(app: Flask, session: Session) -> tuple[Any, Meeting]:
    sam = organizer(app, "sam")
    post_meeting(sam)
    meeting = session.scalars(select(Meeting)).one()
    return sam, meeting


def test_another_organizer_cannot_open_or_post_the_edit_form(app: Flask, session: Session) -> None:
    _, meeting = posted(app, session)
    eve = organizer(app, "eve")
    post_meeting(eve, name="Eve's meeting", group="Eve Group")
    edit = f"/organize/meetings/{meeting.slug}/edit"
    assert eve.get(edit).status_code == 403
    assert eve.post(edit, data=meeting_form(time="06:00")).status_code == 403
    assert eve.post(f"/organize/meetings/{meeting.slug}/confirm").status_code == 403
    session.expire_all()
    assert session.get(Meeting, meeting.id).time.hour == 19  # type: ignore[union-attr]


def test_admins_may_edit_any_organizers_meeting(app: Flask, session: Session) -> None:
    _, meeting = posted(app, session)
    boss = admin(app, session)
    edit = f"/organize/meetings/{meeting.slug}/edit"
    assert boss.get(edit).status_code == 200
    assert boss.post(edit, data=meeting_form(time="06:00", checked_address="")).status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).time.hour == 6  # type: ignore[union-attr]
    assert session.get(Meeting, meeting.id).group_id == meeting.group_id  # type: ignore[union-attr]


def test_using_the_other_groups_name_makes_a_new_group_not_a_way_in(
    app: Flask, session: Session
) -> None:
    _, meeting = posted(app, session)
    post_meeting(organizer(app, "eve"), name="Sneaky", group="Chelsea Group")
    sneaky = session.scalars(select(Meeting).where(Meeting.name == "Sneaky")).one()
    assert sneaky.group_id != meeting.group_id


def test_organizers_cannot_approve(app: Flask, session: Session) -> None:
    sam, meeting = posted(app, session)
    assert sam.get("/admin/review").status_code == 403
    assert sam.post(f"/admin/review/{meeting.group_id}/approve").status_code == 403
    assert sam.post(f"/admin/review/{meeting.group_id}/reject").status_code == 403
    assert sam.post(f"/admin/meetings/{meeting.slug}/unpublish").status_code == 403
    assert sam.get("/admin/audit").status_code == 403
    session.expire_all()
    assert session.get(Meeting, meeting.id).published is False  # type: ignore[union-attr]


def test_organizers_cannot_read_another_groups_suggestions_or_audit(
    app: Flask, session: Session
) -> None:
    sam, meeting = posted(app, session)
    boss = admin(app, session)
    boss.post(f"/admin/review/{meeting.group_id}/approve")
    app.test_client().post(
        f"/meetings/{meeting.slug}/suggest", data={"kind": "time", "message": "Now at 8 pm"}
    )
    assert "Now at 8 pm" in text(sam.get("/organize/suggestions"))
    eve = organizer(app, "eve")
    assert "Now at 8 pm" not in text(eve.get("/organize/suggestions"))
    suggestion_id = session.scalar(select(Suggestion.id))
    assert eve.post(f"/organize/suggestions/{suggestion_id}/dismiss").status_code == 404
    assert eve.get(f"/organize/groups/{meeting.group_id}/audit").status_code == 403
    assert "Chelsea Serenity" not in text(eve.get("/organize/audit"))
    assert "Chelsea Serenity" in text(sam.get(f"/organize/groups/{meeting.group_id}/audit"))
    assert "Chelsea Serenity" in text(boss.get("/admin/audit"))


def test_imported_meetings_have_no_edit_form(
    app: Flask, session: Session, make_meeting: Any
) -> None:
    imported = make_meeting(name="From the feed", source_url="https://aa.example.org/m/1")
    boss = admin(app, session)
    assert boss.get(f"/organize/meetings/{imported.slug}/edit").status_code == 404
    assert (
        boss.post(f"/organize/meetings/{imported.slug}/edit", data=meeting_form()).status_code
        == 404
    )
    page = text(app.test_client().get(f"/meetings/{imported.slug}"))
    assert "changes must be made there" in page
    assert 'href="https://aa.example.org/m/1"' in page


def test_an_invited_account_becomes_an_organizer_on_accepting(app: Flask, session: Session) -> None:
    sam, meeting = posted(app, session)
    ann = organizer(app, "ann")
    edit = f"/organize/meetings/{meeting.slug}/edit"
    assert ann.get(edit).status_code == 403
    sam.post(f"/organize/groups/{meeting.group_id}/invite", data={"username": "ann"})
    assert "invited you to help organize" in text(ann.get("/organize"))
    invitation = text(ann.get("/organize")).split("/organize/invitations/")[1].split('"')[0]
    ann.post(f"/organize/invitations/{invitation}")
    assert ann.get(edit).status_code == 200


def test_deleting_the_only_organizers_account_warns_first(app: Flask, session: Session) -> None:
    sam, meeting = posted(app, session)
    warning = "You are the only organizer of Chelsea Group."
    assert warning in text(sam.get("/me/delete"))
    ann = organizer(app, "ann")
    assert "only organizer" not in text(ann.get("/me/delete"))  # organizes nothing
    sam.post(f"/organize/groups/{meeting.group_id}/invite", data={"username": "ann"})
    invitation = text(ann.get("/organize")).split("/organize/invitations/")[1].split('"')[0]
    ann.post(f"/organize/invitations/{invitation}")
    assert "only organizer" not in text(sam.get("/me/delete"))  # the group has two now


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {}


class TestCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_every_organize_post_needs_its_token(self, app: Flask, session: Session) -> None:
        sam = organizer_with_csrf(app, "sam")
        page = sam.get("/organize/meetings/new")
        token = csrf_token(text(page))
        assert sam.post("/organize/meetings/new", data=meeting_form()).status_code == 400
        assert session.scalar(select(func.count(Meeting.id))) == 0
        ok = sam.post("/organize/meetings/new", data={**meeting_form(), "csrf_token": token})
        assert ok.status_code == 302
        meeting = session.scalars(select(Meeting)).one()
        boss = organizer_with_csrf(app, "boss")
        from finder.accounts.models import User

        user = session.scalars(select(User).where(User.username_key == "boss")).one()
        user.is_admin = True
        session.commit()
        posts = [
            (sam, f"/organize/meetings/{meeting.slug}/edit", meeting_form()),
            (sam, f"/organize/meetings/{meeting.slug}/confirm", {}),
            (sam, f"/organize/groups/{meeting.group_id}/invite", {"username": "boss"}),
            (boss, f"/admin/review/{meeting.group_id}/approve", {}),
            (boss, f"/admin/review/{meeting.group_id}/reject", {"reason": "x"}),
            (boss, f"/admin/meetings/{meeting.slug}/unpublish", {"reason": "x"}),
            (boss, f"/admin/meetings/{meeting.slug}/republish", {}),
            (sam, f"/meetings/{meeting.slug}/suggest", {"kind": "time", "message": "x"}),
            (sam, f"/meetings/{meeting.slug}/was-it-on", {"answer": "no"}),
            (sam, "/organize/suggestions/1/accept", {}),
            (sam, "/organize/suggestions/1/dismiss", {}),
            (sam, "/organize/invitations/1/accept", {}),
            (sam, "/organize/invitations/1/decline", {}),
            (sam, "/organize/invitations/1/withdraw", {}),
            (sam, f"/organize/groups/{meeting.group_id}/organizers/1/remove", {}),
        ]
        entries = session.scalar(select(func.count(AuditEntry.id)))
        for client, url, data in posts:
            assert client.post(url, data=data).status_code == 400, url
        session.expire_all()
        assert session.scalar(select(func.count(AuditEntry.id))) == entries
        assert session.scalar(select(func.count(Suggestion.id))) == 0
        assert session.get(Meeting, meeting.id).published is False  # type: ignore[union-attr]


def organizer_with_csrf(app: Flask, username: str) -> Any:
    from tests.accounts_support import PASSWORD

    client = app.test_client()
    token = csrf_token(text(client.get("/register")))
    client.post(
        "/register",
        data={
            "username": username,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
            "csrf_token": token,
        },
    )
    return client


def test_the_invite_field_asks_for_the_other_persons_username(app: Flask, session: Session) -> None:
    """Not "Their username", which Spanish gave as "Su nombre de usuario" (your username)."""
    sam, meeting = posted(app, session)
    page = text(sam.get("/organize"))
    label = f'<label for="invite-{meeting.group_id}">Username of the person you invite</label>'
    assert label in page


def test_an_invitation_can_be_declined(app: Flask, session: Session) -> None:
    sam, meeting = posted(app, session)
    ann, bob = organizer(app, "ann"), organizer(app, "bob")
    sam.post(f"/organize/groups/{meeting.group_id}/invite", data={"username": "ann"})
    invitation = text(ann.get("/organize")).split("/organize/invitations/")[1].split("/")[0]
    decline = f"/organize/invitations/{invitation}/decline"
    assert f'action="{decline}"' in text(ann.get("/organize"))
    assert bob.post(decline).status_code == 404  # not theirs
    done = ann.post(decline, follow_redirects=True)
    assert "Invitation declined." in text(done)
    assert "invited you to help organize" not in text(done)
    assert ann.get(f"/organize/meetings/{meeting.slug}/edit").status_code == 403
    assert "decline" in text(sam.get("/organize/audit"))


def test_the_history_names_every_changed_field_in_words(app: Flask, session: Session) -> None:
    """Not the stored keys ("organizer") nor two "Street address" lines for one change."""
    sam, meeting = posted(app, session)
    organizer(app, "ann")
    sam.post(f"/organize/groups/{meeting.group_id}/invite", data={"username": "ann"})
    form = meeting_form(address="1500 Market St, Philadelphia, PA 19102", latitude="39.9526",
                        longitude="-75.1652")  # fmt: skip
    sam.post(f"/organize/meetings/{meeting.slug}/edit", data=form)
    history = text(sam.get("/organize/audit"))
    assert "<li>Organizer: — → ann</li>" in history
    edit = next(card for card in history.split('<li class="card">') if " · edit · " in card)
    assert edit.count("<li>Street address:") == 1
    assert "<li>Address found: 346 W 20th St" in edit


def test_a_failed_invitation_keeps_the_typed_name_to_correct(app: Flask, session: Session) -> None:
    sam, meeting = posted(app, session)
    response = sam.post(f"/organize/groups/{meeting.group_id}/invite", data={"username": "an n"})
    assert response.status_code == 400
    page = text(response)
    assert "There is no account with that username." in page
    assert "<details open>" in page
    assert 'value="an n"' in page and 'aria-invalid="true"' in page


def test_the_history_is_on_the_readers_own_clock(app: Flask, session: Session) -> None:
    tokyo = app.test_client()
    register(tokyo, "kenji", timezone="Asia/Tokyo")
    post_meeting(tokyo)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "create")).one()
    at = entry.at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    history = text(tokyo.get("/organize/audit"))
    assert f"{at:%Y-%m-%d %H:%M} JST</time>" in history
    assert " UTC</time>" not in history
