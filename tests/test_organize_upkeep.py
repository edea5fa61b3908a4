"""Suggestions, freshness, attendance answers, the audit log and create-admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.models import Meeting
from finder.organize.models import AttendanceReport, AuditEntry, MeetingUpkeep, Suggestion
from tests.accounts_support import PASSWORD, csrf_token, login, text
from tests.organize_support import admin, live_meeting, organizer, post_meeting


def test_a_visitor_suggests_a_change_and_the_organizer_dismisses_it(
    app: Flask, session: Session
) -> None:
    sam, _, meeting = live_meeting(app, session)
    visitor = app.test_client()
    assert f'href="/meetings/{meeting.slug}/suggest"' in text(
        visitor.get(f"/meetings/{meeting.slug}")
    )
    bad = visitor.post(f"/meetings/{meeting.slug}/suggest", data={"kind": "weather", "message": ""})
    assert bad.status_code == 400 and "Write a few words" in text(bad)
    ok = visitor.post(
        f"/meetings/{meeting.slug}/suggest", data={"kind": "time", "message": "Moved to 8 pm"}
    )
    assert ok.status_code == 302
    page = text(sam.get("/organize/suggestions"))
    assert "Moved to 8 pm" in page
    assert "Suggestions waiting: 1" in text(sam.get("/organize"))
    suggestion = session.scalars(select(Suggestion)).one()
    sam.post(f"/organize/suggestions/{suggestion.id}/dismiss")
    assert "Moved to 8 pm" not in text(sam.get("/organize/suggestions"))
    session.expire_all()
    assert session.get(Meeting, meeting.id).time == dt.time(19, 0)  # type: ignore[union-attr]


def test_suggestions_for_imported_meetings_go_to_admins_with_the_source_page(
    app: Flask, session: Session, make_meeting: Any
) -> None:
    imported = make_meeting(name="Feed meeting", source_url="https://aa.example.org/m/1")
    app.test_client().post(
        f"/meetings/{imported.slug}/suggest", data={"kind": "place", "message": "Wrong hall"}
    )
    page = text(admin(app, session).get("/organize/suggestions"))
    assert "Wrong hall" in page and 'href="https://aa.example.org/m/1"' in page
    assert "Wrong hall" not in text(organizer(app, "sam").get("/organize/suggestions"))


class TestLimits:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True}

    def test_suggestions_are_rate_limited(self, app: Flask, make_meeting: Any) -> None:
        meeting = make_meeting()
        client = app.test_client()
        codes = [
            client.post(
                f"/meetings/{meeting.slug}/suggest", data={"kind": "time", "message": "x"}
            ).status_code
            for _ in range(12)
        ]
        assert codes[:10] == [302] * 10 and codes[-1] == 429

    def test_was_it_on_answers_are_rate_limited(self, app: Flask, make_meeting: Any) -> None:
        meeting = make_meeting()
        codes = [
            app.test_client()
            .post(f"/meetings/{meeting.slug}/was-it-on", data={"answer": "yes"})
            .status_code
            for _ in range(21)
        ]
        assert codes[:20] == [302] * 20 and codes[-1] == 429


def test_one_answer_per_browser_a_week_and_repeated_nos_flag_the_meeting(
    app: Flask, session: Session
) -> None:
    sam, boss, meeting = live_meeting(app, session)
    page = f"/meetings/{meeting.slug}"
    assert "Was this meeting on when you went?" in text(app.test_client().get(page))
    browser = app.test_client()
    browser.post(f"{page}/was-it-on", data={"answer": "no"})
    browser.post(f"{page}/was-it-on", data={"answer": "no"})
    assert session.scalar(select(func.count(AttendanceReport.id))) == 1
    assert "Was this meeting on" not in text(browser.get(page))
    assert "visitors said it was not on" not in text(sam.get("/organize"))
    for _ in range(2):
        app.test_client().post(f"{page}/was-it-on", data={"answer": "no"})
    assert "3 visitors said it was not on" in text(sam.get("/organize"))
    assert "3 said it was not on" in text(boss.get("/admin/review"))
    sam.post(f"/organize/meetings/{meeting.slug}/confirm")  # confirming clears the flag
    assert "visitors said it was not on" not in text(sam.get("/organize"))


def test_the_page_says_when_the_group_confirmed_it(app: Flask, session: Session) -> None:
    sam, _, meeting = live_meeting(app, session)
    upkeep = session.get(MeetingUpkeep, meeting.id)
    assert upkeep is not None
    upkeep.confirmed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=200)
    session.commit()
    assert "Confirmed by the group 200 days ago" in text(
        app.test_client().get(f"/meetings/{meeting.slug}")
    )
    assert "Not confirmed for 6 months" in text(sam.get("/organize"))
    sam.post(f"/organize/meetings/{meeting.slug}/confirm")
    assert "Confirmed by the group today" in text(
        app.test_client().get(f"/meetings/{meeting.slug}")
    )
    assert (
        session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "confirm")) == 1
    )


def test_audit_entries_outlive_a_deleted_account(app: Flask, session: Session) -> None:
    sam, boss, _ = live_meeting(app, session)
    token_page = sam.get("/me/delete")
    data = {"password": PASSWORD}
    if token_page.status_code == 200 and "csrf_token" in text(token_page):
        data["csrf_token"] = csrf_token(text(token_page))
    sam.post("/me/delete", data=data)
    assert session.scalar(select(User).where(User.username_key == "sam")) is None
    log = text(boss.get("/admin/audit"))
    assert "a deleted account" in log and "Chelsea Serenity" in log
    assert (
        session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "create")) == 1
    )


def test_create_admin_reads_the_password_from_stdin(
    runner: FlaskCliRunner, app: Flask, session: Session
) -> None:
    result = runner.invoke(args=["create-admin", "root-admin"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    user = session.scalars(select(User).where(User.username_key == "root-admin")).one()
    assert user.is_admin
    client = app.test_client()
    login(client, "root-admin")
    assert client.get("/admin/review").status_code == 200
    weak = runner.invoke(args=["create-admin", "other"], input="short\n")
    assert weak.exit_code != 0
    assert isinstance(weak.exception, SystemExit), weak.exception  # a message, not a crash
    assert "at least" in weak.output and "Traceback" not in weak.output
    assert session.scalar(select(User).where(User.username_key == "other")) is None


def test_closing_a_meeting_is_recorded_as_a_closure(app: Flask, session: Session) -> None:
    sam, _, meeting = live_meeting(app, session)
    form = {
        "name": "Chelsea Serenity",
        "group": "Chelsea Group",
        "fellowship": "aa",
        "day": ["1"],
        "time": "19:00",
        "end_time": "20:00",
        "types": ["O", "D"],
        "location": "St. Peter's Hall",
        "address": "346 W 20th St, New York, NY 10011",
        "checked_address": "",
        "latitude": "40.748400",
        "longitude": "-73.985700",
        "notes": "Use the side door.",
        "temporarily_closed": "y",
    }
    assert sam.post(f"/organize/meetings/{meeting.slug}/edit", data=form).status_code == 302
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "close"
    assert entry.changes == {"temporarily_closed": [False, True]}
    assert "Temporarily closed" in text(sam.get("/organize"))


def test_a_rejected_group_goes_back_to_review_when_edited(app: Flask, session: Session) -> None:
    sam, boss = organizer(app), admin(app, session)
    post_meeting(sam)
    meeting = session.scalars(select(Meeting)).one()
    boss.post(f"/admin/review/{meeting.group_id}/reject", data={"reason": "Which hall?"})
    assert "Approve “Chelsea Group”" not in text(boss.get("/admin/review"))
    edit = f"/organize/meetings/{meeting.slug}/edit"
    page = text(sam.get(edit))
    assert 'value="Chelsea Serenity"' in page
    sam.post(edit, data={**dict(name="Chelsea Serenity", group="Chelsea Group", fellowship="aa",
                                day=["1"], time="19:00", address="", latitude="40.7484",
                                longitude="-73.9857")})  # fmt: skip
    assert "Approve “Chelsea Group”" in text(boss.get("/admin/review"))
    assert boss.get(f"/meetings/{meeting.slug}").status_code == 200
    assert app.test_client().get(f"/meetings/{meeting.slug}").status_code == 404


def test_create_admin_asks_twice_at_a_terminal_and_never_takes_argv(
    runner: FlaskCliRunner, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("finder.organize.cli.at_terminal", lambda: True)
    mismatch = runner.invoke(args=["create-admin", "alex"], input=f"{PASSWORD}\nsomething else\n")
    assert mismatch.exit_code != 0 and "do not match" in mismatch.output
    assert session.scalar(select(User).where(User.username_key == "alex")) is None
    ok = runner.invoke(args=["create-admin", "alex"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert ok.exit_code == 0, ok.output
    assert PASSWORD not in ok.output
    argv = runner.invoke(args=["create-admin", "robin", PASSWORD])
    assert argv.exit_code == 2  # no password argument exists
    assert session.scalar(select(User).where(User.username_key == "robin")) is None
