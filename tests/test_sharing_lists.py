"""Lists for a sponsee: made by anyone, read by strangers, changed only by their maker."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from finder.models import Source
from finder.sharing.models import MeetingList, MeetingListItem
from tests.accounts_support import login, register, text
from tests.sharing_support import events, freeze, meta

NOW = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # Monday, noon in New York
CODE_URL = re.compile(r"^/lists/([A-Za-z0-9_-]+)$")
EDIT_LINK = re.compile(r"http://localhost/lists/[A-Za-z0-9_-]+/edit/[A-Za-z0-9_-]+")


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, NOW)


def make_list(client, slugs: list[str], title: str = "For your first week") -> str:
    response = client.post("/lists", data={"title": title, "slug": slugs, "do": "save"})
    assert response.status_code == 302, text(response)
    match = CODE_URL.match(response.location)
    assert match, response.location
    return match.group(1)


def test_new_list_is_prefilled_from_slugs(client, make_meeting) -> None:
    a = make_meeting(name="Early Birds")
    b = make_meeting(name="Night Owls")
    html = text(client.get(f"/lists/new?slug={a.slug}&slug={b.slug}"))
    assert f'name="slug" value="{a.slug}" checked' in html
    assert f'name="slug" value="{b.slug}" checked' in html
    assert 'name="title"' in html
    assert "Early Birds" in html and "Night Owls" in html


def test_making_a_list_redirects_to_an_unguessable_code(client, session, make_meeting) -> None:
    m = make_meeting()
    codes = {make_list(client, [m.slug]) for _ in range(3)}
    assert len(codes) == 3
    assert all(len(code) >= 12 for code in codes)  # 72 random bits
    assert session.scalar(select(func.count(MeetingList.id))) == 3


def test_stranger_sees_the_list_with_next_starts(app, client, make_meeting) -> None:
    tuesday = make_meeting(name="Step by Step", day=2, time=dt.time(19, 0))
    monday = make_meeting(name="Lunch Bunch", day=1, time=dt.time(12, 30))
    code = make_list(client, [tuesday.slug, monday.slug], title="Near your new place")
    stranger = app.test_client()
    response = stranger.get(f"/lists/{code}")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Near your new place</h1>" in html
    assert "Next: Tuesday, December 1, 2026, 7:00 pm" in html
    assert "Next: Monday, November 30, 2026, 12:30 pm" in html
    # A printed list is kept for months: its weekly lines name the zone right in summer too.
    assert '<span class="day">Tuesdays 7:00 pm</span> <span class="time">ET</span>' in html
    # Soonest first: today's 12:30 pm before tomorrow's 7:00 pm.
    assert html.index("Lunch Bunch") < html.index("Step by Step")
    assert meta(html, "og:title") == "Near your new place"
    assert meta(html, "og:url") == f"http://localhost/lists/{code}"
    assert "2 meetings" in meta(html, "og:description")
    assert f'<link rel="canonical" href="http://localhost/lists/{code}">' in html
    assert "Change or delete this list" not in html
    assert not EDIT_LINK.search(html)


def test_list_calendar_holds_all_its_meetings(client, make_meeting) -> None:
    a = make_meeting(name="Early Birds", day=3, time=dt.time(7, 0))
    b = make_meeting(
        name="Night Owls", day=5, time=dt.time(21, 0), latitude=34.05, longitude=-118.24
    )
    code = make_list(client, [a.slug, b.slug])
    response = client.get(f"/lists/{code}.ics")
    assert response.mimetype == "text/calendar"
    found = {str(e["summary"]): e for e in events(response.data)}
    assert set(found) == {"Early Birds", "Night Owls"}
    assert found["Night Owls"]["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert found["Early Birds"]["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=WE"


def test_list_flags_changed_and_gone_meetings(app, client, session, make_meeting) -> None:
    moved = make_meeting(name="Moved", day=2, time=dt.time(19, 0))
    gone = make_meeting(name="Gone")
    code = make_list(client, [moved.slug, gone.slug])
    moved.time = dt.time(20, 0)
    gone.published = False
    session.commit()
    html = text(app.test_client().get(f"/lists/{code}"))
    assert "New time: Tuesday 8:00 pm (was Tuesday 7:00 pm)" in html
    assert "No longer listed" in html


def test_maker_without_account_gets_a_secret_edit_link_once(app, client, make_meeting) -> None:
    a = make_meeting(name="Early Birds")
    b = make_meeting(name="Night Owls")
    response = client.post("/lists", data={"title": "First", "slug": [a.slug], "do": "save"})
    first_view = text(client.get(response.location))
    link = EDIT_LINK.search(first_view)
    assert link, "the edit link is shown after making the list"
    assert "Keep this private link" in first_view
    assert not EDIT_LINK.search(text(client.get(response.location)))  # only once
    edit_path = link.group(0).removeprefix("http://localhost")
    # Anyone holding the secret link can change it; the list's own link cannot.
    code = CODE_URL.match(response.location).group(1)  # type: ignore[union-attr]
    assert app.test_client().get(f"/lists/{code}/edit").status_code == 404
    assert app.test_client().get(f"/lists/{code}/edit/wrong-key-wrong-key").status_code == 404
    other = app.test_client()
    assert other.get(edit_path).status_code == 200
    saved = other.post(edit_path, data={"title": "Second", "slug": [a.slug, b.slug], "do": "save"})
    assert saved.location == f"/lists/{code}"
    html = text(other.get(f"/lists/{code}"))
    assert "<h1>Second</h1>" in html and "Night Owls" in html
    key = edit_path.rsplit("/", 1)[1]
    assert other.post(f"/lists/{code}/delete", data={"key": "nope"}).status_code == 404
    assert other.post(f"/lists/{code}/delete", data={"key": key}).status_code == 302
    assert client.get(f"/lists/{code}").status_code == 404


def test_maker_with_account_edits_and_deletes_through_it(
    app, client, session, make_meeting
) -> None:
    m = make_meeting()
    register(client, "sponsor1")
    login(client, "sponsor1")
    code = make_list(client, [m.slug])
    html = text(client.get(f"/lists/{code}"))
    assert "Change or delete this list" in html
    assert not EDIT_LINK.search(html)
    assert f"/lists/{code}" in text(client.get("/me/favorites"))
    assert client.get(f"/lists/{code}/edit").status_code == 200
    stranger = app.test_client()
    assert stranger.get(f"/lists/{code}/edit").location == f"/login?next=/lists/{code}/edit"
    assert stranger.post(f"/lists/{code}/delete").status_code == 302
    register(stranger, "someone2")
    login(stranger, "someone2")
    assert stranger.get(f"/lists/{code}/edit").status_code == 404
    assert stranger.post(f"/lists/{code}/delete").status_code == 404
    assert session.scalar(select(func.count(MeetingList.id))) == 1
    assert client.post(f"/lists/{code}/delete").status_code == 302
    assert session.scalar(select(func.count(MeetingList.id))) == 0
    assert session.scalar(select(func.count(MeetingListItem.id))) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "x", "do": "save"}, "Pick at least one meeting for the list."),
        ({"title": "x" * 101, "slug": ["SLUG"], "do": "save"}, "Keep the title to 100"),
        ({"title": "x", "slug": ["SLUG", "no-such"], "do": "save"}, "no longer listed"),
    ],
)
def test_bad_lists_get_a_clear_message(client, session, make_meeting, data, message) -> None:
    m = make_meeting()
    data = {
        k: [m.slug if s == "SLUG" else s for s in v] if k == "slug" else v for k, v in data.items()
    }
    response = client.post("/lists", data=data)
    assert response.status_code == 400
    assert message in text(response)
    assert session.scalar(select(func.count(MeetingList.id))) == 0


def test_add_a_meeting_by_pasting_its_link(client, session, make_meeting) -> None:
    a = make_meeting(name="Early Birds")
    b = make_meeting(name="Night Owls")
    response = client.post(
        "/lists",
        data={
            "title": "T",
            "slug": [a.slug],
            "add": f"https://x.org/meetings/{b.slug}",
            "do": "add",
        },
    )
    assert response.status_code == 200
    html = text(response)
    assert f'value="{b.slug}" checked' in html and f'value="{a.slug}" checked' in html
    assert 'value="T"' in html
    assert session.scalar(select(func.count(MeetingList.id))) == 0  # not saved yet
    bad = client.post(
        "/lists", data={"slug": [a.slug], "add": "https://x.org/nothing", "do": "add"}
    )
    assert "That link is not a meeting on this site" in text(bad)


def test_a_pasted_link_that_cannot_be_added_stays_in_its_box(client, make_meeting) -> None:
    a = make_meeting(name="Early Birds")
    typo = "https://x.org/meetings/early-brids"
    bad = client.post("/lists", data={"slug": [a.slug], "add": typo, "do": "add"})
    html = text(bad)
    assert "That link is not a meeting on this site" in html
    # Shown again, marked, to be corrected rather than pasted from memory.
    assert re.search(rf'id="list-add"[^>]* value="{re.escape(typo)}" aria-invalid="true"', html)
    code = make_list(client, [a.slug])
    edit = re.search(rf"/lists/{code}/edit/[\w-]+", text(client.get(f"/lists/{code}")))
    assert edit
    editing = client.post(edit.group(0), data={"slug": [a.slug], "add": typo, "do": "add"})
    assert re.search(
        rf'id="list-add"[^>]* value="{re.escape(typo)}" aria-invalid="true"', text(editing)
    )
    added = client.post(
        "/lists", data={"slug": [a.slug], "add": f"https://x.org/meetings/{a.slug}", "do": "add"}
    )
    assert 'aria-invalid="true"' not in text(added)  # added: the box is empty again


def test_empty_title_gets_a_kind_default(client, make_meeting) -> None:
    m = make_meeting()
    code = make_list(client, [m.slug], title="  ")
    assert "<h1>Meetings to try</h1>" in text(client.get(f"/lists/{code}"))


def test_lists_hold_no_personal_data(client, session, make_meeting) -> None:
    m = make_meeting()
    register(client, "sponsor1")
    login(client, "sponsor1")
    code = make_list(client, [m.slug], title="Week one")
    columns = {c.name for c in MeetingList.__table__.columns}
    assert columns == {
        "id",
        "code",
        "title",
        "user_id",
        "edit_key_hash",
        "created_at",
        "updated_at",
    }
    record = session.scalar(select(MeetingList).where(MeetingList.code == code))
    assert record is not None and record.edit_key_hash == ""
    html = text(client.get(f"/lists/{code}"))
    shared = re.findall(r'data-share-url="([^"]+)"', html)
    assert shared == [f"http://localhost/lists/{code}"]
    assert "sponsor1" not in text(client.__class__(client.application).get(f"/lists/{code}"))


def test_results_and_meeting_page_link_to_a_new_list(client, make_meeting) -> None:
    m = make_meeting()
    n = make_meeting()
    results = text(client.get("/meetings?near=40.7484,-73.9967"))
    assert f"/lists/new?slug={m.slug}&amp;slug={n.slug}" in results or (
        f"/lists/new?slug={n.slug}&amp;slug={m.slug}" in results
    )
    assert f"/lists/new?slug={m.slug}" in text(client.get(f"/meetings/{m.slug}"))
    client.post(f"/meetings/{m.slug}/favorite", data={"action": "add"})
    assert f"/lists/new?slug={m.slug}" in text(client.get("/me/favorites"))


@pytest.mark.parametrize("path", ["/lists/short", "/lists/nonexistentcode", "/lists/x.ics"])
def test_unknown_lists_answer_404(client, path) -> None:
    assert client.get(path).status_code == 404


def test_demo_meetings_are_marked_on_lists_and_saved_meetings(client, make_meeting) -> None:
    from finder.models import Source

    real = make_meeting(name="Real Group")
    demo = make_meeting(name="Demo Group", source=Source(name="Demo", kind="demo"))
    page = text(client.get(f"/lists/{make_list(client, [real.slug])}"))
    assert "Demo listing" not in page and "Demo data:" not in page
    page = text(client.get(f"/lists/{make_list(client, [real.slug, demo.slug])}"))
    assert page.count('<p class="demo-tag">Demo listing</p>') == 1
    assert "Demo data:" in page and "Do not travel to them." in page
    client.post(f"/meetings/{demo.slug}/favorite", data={"action": "add"})
    saved = text(client.get("/me/favorites"))
    assert '<p class="demo-tag">Demo listing</p>' in saved and "Demo data:" in saved


NO_TIMES = "None of these meetings has a regular weekly time listed now"


@pytest.mark.parametrize("kind", ["no regular time", "no longer listed"])
def test_a_list_with_no_timed_meeting_explains_instead_of_an_empty_calendar(
    app, client, session, make_meeting, kind
) -> None:
    if kind == "no regular time":
        meeting = make_meeting(name="By appointment", day=None, time=None, end_time=None)
        code = make_list(client, [meeting.slug])
    else:
        meeting = make_meeting(name="Gone", day=2, time=dt.time(19, 0))
        code = make_list(client, [meeting.slug])
        meeting.published = False
        session.commit()
    html = text(app.test_client().get(f"/lists/{code}"))
    assert f"/lists/{code}.ics" not in html and "All these meetings (.ics)" not in html
    assert NO_TIMES in html
    response = app.test_client().get(f"/lists/{code}.ics")  # an old link still answers
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert events(response.data) == []


def test_a_list_with_one_timed_meeting_keeps_its_calendar_link(client, make_meeting) -> None:
    untimed = make_meeting(day=None, time=None, end_time=None)
    timed = make_meeting(name="Step by Step", day=2, time=dt.time(19, 0))
    code = make_list(client, [untimed.slug, timed.slug])
    html = text(client.get(f"/lists/{code}"))
    assert f"/lists/{code}.ics" in html and NO_TIMES not in html
    assert [str(e["summary"]) for e in events(client.get(f"/lists/{code}.ics").data)] == [
        "Step by Step"
    ]


def test_pasting_a_meeting_no_longer_listed_says_so(client, session, make_meeting) -> None:
    kept = make_meeting(name="Early Birds")
    source = Source(kind="feed", name="Some Intergroup", url="https://example.org/feed.json")
    gone = make_meeting(name="Gone", source=source)
    gone.published = False
    session.commit()
    assert client.get(f"/meetings/{gone.slug}").status_code == 410
    link = f"https://x.org/meetings/{gone.slug}"
    for response in (
        client.get("/lists/new", query_string={"slug": kept.slug, "add": link}),
        client.post("/lists", data={"slug": [kept.slug], "add": link, "do": "add"}),
    ):
        html = text(response)
        assert "That meeting is no longer listed, so it can&#39;t go on a list." in html
        assert "not a meeting on this site" not in html
        assert f'value="{kept.slug}" checked' in html and f'value="{gone.slug}"' not in html


def test_spanish_weekdays_are_lowercase_inside_sentences_and_english_is_unchanged(
    app, client, session, make_meeting
) -> None:
    monday = make_meeting(name="Lunch Bunch", day=1, time=dt.time(11, 30))
    code = make_list(client, [monday.slug])
    monday.time = dt.time(12, 0)
    session.commit()
    spanish = text(app.test_client().get(f"/lists/{code}?lang=es"))
    assert "Próxima: lunes, 30 de noviembre de 2026" in spanish
    assert "Nuevo horario: lunes 12:00 (antes: lunes 11:30)" in spanish
    assert "Lunes" not in spanish.replace("Los lunes", "")  # only "Los lunes 12:00" starts a line
    english = text(app.test_client().get(f"/lists/{code}"))
    assert "Next: Monday, November 30, 2026" in english
    assert "New time: Monday 12:00 pm (was Monday 11:30 am)" in english


def test_spanish_weekly_times_that_start_a_line_are_capitalised(client, make_meeting) -> None:
    monday = make_meeting(name="Lunch Bunch", day=1, time=dt.time(12, 0))
    form = text(client.get(f"/lists/new?slug={monday.slug}&lang=es"))
    assert '<span class="sub">Los lunes a las 12:00 · ' in form
    code = make_list(client, [monday.slug])
    shown = text(client.get(f"/lists/{code}?lang=es"))
    assert '<span class="day">Los lunes a las 12:00</span>' in shown
    english = text(client.get(f"/lists/{code}?lang=en"))
    assert '<span class="day">Mondays 12:00 pm</span>' in english


def test_spanish_weekday_labels_stay_capitalised(app, make_meeting) -> None:
    from finder.i18n import _babel_day_name, day_name, in_sentence

    with app.test_request_context("/?lang=es"):
        assert (day_name(1), in_sentence(day_name(1))) == ("Lunes", "lunes")
        assert _babel_day_name.cache_info().currsize > 0  # still kept per language
    with app.test_request_context("/"):
        assert day_name(1) == in_sentence(day_name(1)) == "Monday"
