"""Person B can never read or change person A's favorites or dates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from finder.accounts.models import Favorite, SobrietyDate, SobrietyHistory, User
from tests.accounts_support import days_ago, register, text


@pytest.fixture
def alice(app, make_meeting, session):
    """A with a favorite, a date and an earlier date kept privately; returns her ids."""
    client = app.test_client()
    make_meeting(name="Alice's Tuesday Group", slug="alices-group")
    register(client, "alice")
    client.post("/meetings/alices-group/favorite")
    client.post("/me/sobriety", data={"label": "Alice-label", "date": days_ago(50)})
    record = session.scalar(select(SobrietyDate))
    client.post(
        f"/me/sobriety/{record.id}",
        data={"label": "Alice-label", "date": days_ago(20), "keep_earlier": "y"},
    )
    history = session.scalar(select(SobrietyHistory))
    return {"date": record.id, "history": history.id, "client": client}


@pytest.fixture
def bob(app):
    client = app.test_client()
    register(client, "bob")
    return client


def alice_state(session):
    session.expire_all()
    user = session.scalar(select(User).where(User.username_key == "alice"))
    return (
        [(d.label, d.date.isoformat()) for d in user.sobriety_dates],
        [h.date.isoformat() for d in user.sobriety_dates for h in d.history],
        [f.meeting_slug for f in user.favorites],
    )


def test_bob_sees_nothing_of_alices(alice, bob):
    for url in ("/me", "/me/sobriety", "/me/favorites", "/me/export.json"):
        page = text(bob.get(url))
        for secret in ("Alice-label", "Alice&#39;s Tuesday Group", days_ago(20), days_ago(50)):
            assert secret not in page, (url, secret)
    assert bob.get(f"/me/sobriety/{alice['date']}").status_code == 404


def test_bob_cannot_change_or_delete_alices_records(alice, bob, session):
    before = alice_state(session)
    attempts = [
        (f"/me/sobriety/{alice['date']}", {"label": "Bob was here", "date": days_ago(1)}),
        (f"/me/sobriety/{alice['date']}/delete", {"confirm": "y"}),
        (f"/me/sobriety/history/{alice['history']}/delete", {}),
        ("/me/favorites/alices-group/seen", {}),
    ]
    for url, data in attempts:
        assert bob.post(url, data=data).status_code == 404, url
    # Bob's own star and unstar only touch Bob's list.
    bob.post("/meetings/alices-group/favorite", data={"action": "add"})
    bob.post("/meetings/alices-group/favorite", data={"action": "remove"})
    bob.post("/me/delete", data={"password": "lantern river cobalt"})
    assert alice_state(session) == before
    assert alice_state(session)[2] == ["alices-group"]


def test_a_logged_out_browser_sees_nothing_either(app, alice):
    stranger = app.test_client()
    for url in ("/me", "/me/sobriety", f"/me/sobriety/{alice['date']}", "/me/export.json"):
        r = stranger.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login"), url
    assert "Alice" not in text(stranger.get("/me/favorites"))
    r = stranger.post(f"/me/sobriety/{alice['date']}/delete", data={"confirm": "y"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")


def test_favorite_rows_belong_to_their_owner(alice, bob, session):
    bob.post("/meetings/alices-group/favorite")
    owners = session.scalars(select(User.username).join(Favorite)).all()
    assert sorted(owners) == ["alice", "bob"]
