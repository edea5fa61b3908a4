"""Favorites: the star, the browser list before logging in, merging, and what changed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from finder.accounts.favorites import COOKIE_NAME, dump_cookie, load_cookie
from finder.accounts.models import Favorite
from finder.models import Location
from finder.schedule import current_or_next
from tests.accounts_support import login, register, text


def test_the_star_toggles_without_javascript(client, make_meeting):
    make_meeting(slug="sunrise", name="Sunrise Group")
    r = client.post("/meetings/sunrise/favorite", data={"next": "/meetings?near=10001"})
    assert r.status_code == 302 and r.headers["Location"] == "/meetings?near=10001"
    page = text(client.get("/me/favorites"))
    assert "Sunrise Group" in page and 'aria-pressed="true"' in page
    assert "Saved “Sunrise Group” to your meetings." in page
    client.post("/meetings/sunrise/favorite")
    assert "No saved meetings yet" in text(client.get("/me/favorites"))


def test_explicit_add_and_remove_are_idempotent(client, make_meeting, session):
    make_meeting(slug="sunrise")
    register(client)
    for action in ("add", "add"):
        client.post("/meetings/sunrise/favorite", data={"action": action})
    assert len(session.scalars(select(Favorite)).all()) == 1
    for action in ("remove", "remove"):
        client.post("/meetings/sunrise/favorite", data={"action": action})
    assert session.scalars(select(Favorite)).all() == []


def test_with_javascript_the_toggle_answers_json(client, make_meeting):
    make_meeting(slug="sunrise", name="Sunrise Group")
    headers = {"Accept": "application/json"}
    r = client.post("/meetings/sunrise/favorite", headers=headers)
    assert r.status_code == 200
    assert r.get_json() == {
        "slug": "sunrise",
        "favorite": True,
        "message": "Saved “Sunrise Group” to your meetings.",
    }
    assert (
        client.post("/meetings/sunrise/favorite", headers=headers).get_json()["favorite"] is False
    )


@pytest.mark.parametrize("slug", ["no-such-meeting", "x" * 300])
def test_starring_an_unknown_meeting_is_a_friendly_404(client, slug):
    r = client.post(f"/meetings/{slug}/favorite")
    assert r.status_code == 404 and "find that page" in text(r)


def test_an_unpublished_meeting_cannot_be_starred(client, make_meeting):
    make_meeting(slug="hidden", published=False)
    assert client.post("/meetings/hidden/favorite").status_code == 404


def test_a_tampered_browser_cookie_is_ignored(app, client, make_meeting):
    make_meeting(slug="sunrise", name="Sunrise Group")
    forged = dump_cookie("someone-elses-key", ["sunrise"])
    client.set_cookie(COOKIE_NAME, forged)
    assert "Sunrise Group" not in text(client.get("/me/favorites"))
    assert load_cookie("test-secret", "garbage") == []
    assert load_cookie("test-secret", dump_cookie("test-secret", ["a", "b"])) == ["a", "b"]


def test_logging_in_merges_the_browser_list_and_clears_it(client, make_meeting, session):
    for slug in ("one", "two", "three"):
        make_meeting(slug=slug)
    register(client)
    client.post("/meetings/one/favorite")
    client.post("/logout")
    client.post("/meetings/one/favorite", data={"action": "add"})  # already in the account
    client.post("/meetings/two/favorite")
    client.post("/meetings/three/favorite")
    client.post("/meetings/three/favorite")  # changed their mind
    r = login(client)
    assert f"{COOKIE_NAME}=;" in " ".join(r.headers.getlist("Set-Cookie"))  # cleared
    assert "We added 1 starred meeting from this browser" in text(client.get("/me"))
    slugs = session.scalars(select(Favorite.meeting_slug).order_by(Favorite.meeting_slug))
    assert slugs.all() == ["one", "two"]


def test_my_meetings_are_in_order_of_next_start(client, make_meeting):
    now = dt.datetime.now(dt.UTC)
    meetings = [
        make_meeting(slug=f"m{day}", name=f"Meeting on day {day}", day=day, time=dt.time(12, 0))
        for day in (5, 1, 3, 0, 6)
    ]
    register(client)
    for m in meetings:
        client.post(f"/meetings/{m.slug}/favorite")
    page = text(client.get("/me/favorites"))
    page = page[page.index('class="results saved-list"') :]  # after the "Saved ..." messages
    tz = meetings[0].location.timezone

    def start(m):
        return current_or_next(m.day, m.time, m.end_time, tz, now).start

    expected = [m.name for m in sorted(meetings, key=start)]
    assert sorted(expected, key=page.index) == expected


def test_changes_since_saving_are_flagged(client, make_meeting, session):
    moved = make_meeting(slug="moved", name="Moved Meeting", day=1, time=dt.time(19, 0))
    closed = make_meeting(slug="closed", name="Closed Meeting")
    gone = make_meeting(slug="gone", name="Gone Meeting")
    hidden = make_meeting(slug="hidden", name="Hidden Meeting")
    steady = make_meeting(slug="steady", name="Steady Meeting")
    register(client)
    for m in (moved, closed, gone, hidden, steady):
        client.post(f"/meetings/{m.slug}/favorite")

    moved.day, moved.time = 2, dt.time(20, 30)
    moved.location = Location(
        name="New Hall",
        address="9 Elm Street",
        formatted_address="9 Elm Street, New York, NY 10001, USA",
        latitude=40.75,
        longitude=-73.99,
        timezone="America/New_York",
    )
    closed.temporarily_closed = True
    hidden.published = False
    session.delete(gone)
    session.commit()

    page = text(client.get("/me/favorites"))
    assert "New time: Tuesday 8:30 pm (was Monday 7:00 pm)" in page
    assert "New place: 9 Elm Street, New York, NY 10001, USA" in page
    assert "Temporarily closed" in page
    assert page.count("No longer listed") == 2  # Gone Meeting and Hidden Meeting
    assert "Gone Meeting" in page  # the name saved with the star
    steady_part = page[page.index("Steady Meeting") :]
    assert "New time" not in steady_part.split("</li>")[0]

    # "Got it" takes the new details as the baseline.
    client.post("/me/favorites/moved/seen")
    page = text(client.get("/me/favorites"))
    assert "New time" not in page and "New place" not in page
    # Unstarring a meeting that is gone still works.
    assert client.post("/meetings/gone/favorite", data={"action": "remove"}).status_code == 302
    assert "Gone Meeting" not in text(client.get("/me/favorites"))


def test_the_star_shows_on_results_and_meeting_pages(client, make_meeting):
    make_meeting(slug="sunrise", name="Sunrise Group")
    page = text(client.get("/meetings/sunrise"))
    assert 'action="/meetings/sunrise/favorite"' in page
    assert 'aria-pressed="false"' in page
    client.post("/meetings/sunrise/favorite")
    page = text(client.get("/meetings/sunrise"))
    assert 'aria-pressed="true"' in page
    results = text(client.get("/meetings?near=40.7484,-73.9967"))
    assert 'action="/meetings/sunrise/favorite"' in results
    assert 'aria-pressed="true"' in results


def star_button(page: str, slug: str) -> str:
    """The star button of one meeting, as HTML."""
    form = page[page.index(f'action="/meetings/{slug}/favorite"') :]
    return form[form.index("<button") : form.index("</button>")]


def words(button_html: str) -> str:
    """What a screen reader says for the button: its aria-label."""
    match = re.search(r'aria-label="([^"]*)"', button_html)
    assert match, "the star has no accessible name"
    return match.group(1)


def test_the_star_says_saved_and_remove_when_the_meeting_is_saved(client, make_meeting):
    make_meeting(slug="sunrise", name="Sunrise Group")
    button = star_button(text(client.get("/meetings/sunrise")), "sunrise")
    assert 'aria-pressed="false"' in button
    assert words(button) == "Save Sunrise Group to my meetings"
    assert "<span data-star-label>Save</span>" in button

    client.post("/meetings/sunrise/favorite")
    for url in ("/meetings/sunrise", "/me/favorites"):
        button = star_button(text(client.get(url)), "sunrise")
        assert 'aria-pressed="true"' in button, url
        assert words(button) == "Saved: remove Sunrise Group from my meetings", url
        assert "<span data-star-label>Saved</span>" in button, url


def test_the_star_carries_both_wordings_for_the_script(client, make_meeting):
    make_meeting(slug="sunrise", name="Sun & <Rise>")
    button = star_button(text(client.get("/meetings/sunrise")), "sunrise")
    assert 'data-label-on="Saved"' in button and 'data-label-off="Save"' in button
    assert 'data-name-on="Saved: remove Sun &amp; &lt;Rise&gt; from my meetings"' in button
    assert 'data-name-off="Save Sun &amp; &lt;Rise&gt; to my meetings"' in button
