"""The whole journey: star, register, merge, sobriety date, export, delete."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from finder.accounts.models import Favorite, SobrietyDate, SobrietyHistory, User
from finder.accounts.sobriety import today_in
from tests.accounts_support import PASSWORD, days_ago, register, text


def count(session, model, **where):
    query = select(func.count()).select_from(model).filter_by(**where)
    return session.scalar(query)


def test_a_new_person_goes_from_first_star_to_deleting_everything(client, make_meeting, session):
    make_meeting(name="Early Birds", day=0, slug="early-birds")
    make_meeting(name="Night Owls", day=3, slug="night-owls")

    # Before an account: the star is kept in the browser.
    r = client.post("/meetings/early-birds/favorite", data={"next": "/meetings/early-birds"})
    assert r.status_code == 302 and r.headers["Location"] == "/meetings/early-birds"
    assert "Early Birds" in text(client.get("/me/favorites"))

    # Registering merges it into the account.
    r = register(client)
    assert r.status_code == 302 and r.headers["Location"] == "/me"
    assert "We added 1 starred meeting" in text(client.get("/me"))
    user = session.scalar(select(User).where(User.username_key == "sam"))
    assert user is not None
    user_id = user.id
    assert session.scalars(
        select(Favorite.meeting_slug).where(Favorite.user_id == user.id)
    ).all() == ["early-birds"]

    # After logging in: stars go to the account.
    client.post("/meetings/night-owls/favorite")
    assert "Night Owls" in text(client.get("/me/favorites"))
    assert count(session, Favorite, user_id=user_id) == 2

    # A date 100 days ago.
    r = client.post("/me/sobriety", data={"label": "Alcohol", "date": days_ago(100)})
    assert r.status_code == 302
    page = text(client.get("/me/sobriety"))
    assert "100 days" in page
    for label in ("24 hours", "30 days", "60 days", "90 days"):
        assert label in page
    assert "Next: 6 months" in page

    # Export everything.
    r = client.get("/me/export.json")
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.get_data(as_text=True))
    assert data["account"]["username"] == "sam"
    assert {f["meeting"] for f in data["favorites"]} == {"early-birds", "night-owls"}
    assert data["sobriety_dates"][0]["label"] == "Alcohol"
    assert data["sobriety_dates"][0]["date"] == days_ago(100)
    assert "argon2" not in r.get_data(as_text=True)
    assert user.session_token not in r.get_data(as_text=True)

    # Delete: the wrong password deletes nothing, the right one deletes everything.
    r = client.post("/me/delete", data={"password": "not my password"})
    assert "Nothing was deleted" in text(r)
    assert count(session, User, id=user_id) == 1
    r = client.post("/me/delete", data={"password": PASSWORD})
    assert r.status_code == 302
    session.expire_all()
    assert count(session, User, id=user_id) == 0
    assert count(session, Favorite, user_id=user_id) == 0
    assert count(session, SobrietyDate, user_id=user_id) == 0
    assert "Your account and everything in it are deleted" in text(client.get("/"))
    assert client.get("/me").status_code == 302  # logged out


def test_milestones_are_listed_with_their_dates(client):
    register(client)
    client.post("/me/sobriety", data={"label": "", "date": days_ago(100)})
    page = text(client.get("/me/sobriety"))
    assert "Clean and sober" in page  # the default label
    day = today_in("UTC") - dt.timedelta(days=70)  # the 30-day milestone
    assert f"{day:%B} {day.day}, {day.year}" in page


def test_changing_a_date_after_a_relapse_can_keep_the_earlier_one_privately(client, session):
    register(client)
    client.post("/me/sobriety", data={"label": "Opioids", "date": days_ago(400)})
    record = session.scalar(select(SobrietyDate))
    page = text(client.get(f"/me/sobriety/{record.id}"))
    assert "welcome here" in page
    assert "Keep my earlier date in my private history" in page

    r = client.post(
        f"/me/sobriety/{record.id}",
        data={"label": "Opioids", "date": days_ago(3), "keep_earlier": "y"},
    )
    assert r.status_code == 302
    session.expire_all()
    assert record.date.isoformat() == days_ago(3)
    history = session.scalars(select(SobrietyHistory)).all()
    assert [h.date.isoformat() for h in history] == [days_ago(400)]
    assert days_ago(400) in client.get("/me/export.json").get_data(as_text=True)

    # Without the box ticked, nothing is kept.
    client.post(f"/me/sobriety/{record.id}", data={"label": "Opioids", "date": days_ago(1)})
    session.expire_all()
    assert count(session, SobrietyHistory) == 1

    # Earlier dates can be deleted one by one, and go with their date.
    client.post(f"/me/sobriety/history/{history[0].id}/delete")
    session.expire_all()
    assert count(session, SobrietyHistory) == 0
    client.post(f"/me/sobriety/{record.id}/delete", data={"confirm": "y"})
    session.expire_all()
    assert count(session, SobrietyDate) == 0
