"""Helpers for the organize tests: accounts, an admin, a valid meeting form."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder.accounts.models import User
from finder.models import Meeting
from tests.accounts_support import login, register

NEW_YORK_POINT = {"latitude": "40.748400", "longitude": "-73.985700"}


def organizer(app: Flask, username: str = "sam") -> FlaskClient:
    """A fresh client logged in as a new account."""
    client = app.test_client()
    register(client, username)
    return client


def admin(app: Flask, session: Session, username: str = "boss") -> FlaskClient:
    client = organizer(app, username)
    user = session.scalars(select(User).where(User.username_key == username)).one()
    user.is_admin = True
    session.commit()
    login(client, username)
    return client


def meeting_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Chelsea Serenity",
        "group": "Chelsea Group",
        "fellowship": "aa",
        "day": ["1"],
        "time": "19:00",
        "end_time": "20:00",
        "types": ["O", "D"],
        "location": "St. Peter's Hall",
        "address": "346 W 20th St, New York, NY 10011",
        **NEW_YORK_POINT,
        "conference_url": "",
        "notes": "Use the side door.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_meeting(client: FlaskClient, **overrides: Any) -> Any:
    return client.post("/organize/meetings/new", data=meeting_form(**overrides))


def live_meeting(app: Flask, session: Session) -> tuple[FlaskClient, FlaskClient, Meeting]:
    """(organizer, admin, meeting): "Chelsea Serenity" posted by sam, its group approved."""
    sam, boss = organizer(app), admin(app, session)
    post_meeting(sam)
    meeting = session.scalars(select(Meeting).where(Meeting.name == "Chelsea Serenity")).one()
    boss.post(f"/admin/review/{meeting.group_id}/approve")
    return sam, boss, meeting
