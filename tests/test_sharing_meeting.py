"""A meeting page previews, shares and links to calendars; shared links leak nothing."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.accounts_support import login, register, text
from tests.sharing_support import freeze, hrefs, meta

# Monday 30 November 2026, noon in New York.
NOW = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, NOW)


def test_meeting_page_has_open_graph_and_twitter_tags(client, make_meeting) -> None:
    m = make_meeting(name="Step by Step", day=2, time=dt.time(19, 0), city="Brooklyn")
    html = text(client.get(f"/meetings/{m.slug}"))
    assert meta(html, "og:title") == "Step by Step"
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:url") == f"http://localhost/meetings/{m.slug}"
    assert meta(html, "twitter:card") == "summary"
    description = meta(html, "og:description")
    assert "Tuesdays 7:00 pm ET" in description
    assert "In person" in description
    assert "Brooklyn, NY" in description
    assert f'<link rel="canonical" href="http://localhost/meetings/{m.slug}">' in html


def test_online_meeting_preview_says_online(client, make_meeting) -> None:
    m = make_meeting(
        name="Night Owls",
        day=5,
        time=dt.time(21, 30),
        approximate=True,
        conference_url="https://meet.example.com/owls",
    )
    description = meta(text(client.get(f"/meetings/{m.slug}")), "og:description")
    assert "Fridays 9:30 pm ET" in description
    assert "Online" in description


def test_public_base_url_makes_the_shared_links(app, client, make_meeting) -> None:
    app.config["SERVER_NAME_FOR_LINKS"] = "https://meetings.example.org/"
    m = make_meeting()
    html = text(client.get(f"/meetings/{m.slug}", headers={"Host": "evil.example"}))
    for url in shared_urls(html):
        assert url == f"https://meetings.example.org/meetings/{m.slug}"
    assert f'<link rel="canonical" href="https://meetings.example.org/meetings/{m.slug}">' in html


def test_share_text_reads_like_a_person_wrote_it(client, make_meeting) -> None:
    m = make_meeting(
        name="Step by Step",
        day=2,
        time=dt.time(19, 0),
        location_name="Grace Church",
        formatted_address="12 Oak St, Springfield, NY 10001",
    )
    html = text(client.get(f"/meetings/{m.slug}"))
    expected = "Step by Step, Tuesdays 7:00 pm at Grace Church, 12 Oak St, Springfield, NY 10001"
    assert expected in html
    sms = next(h for h in hrefs(html) if h.startswith("sms:"))
    assert unquote(sms) == f"sms:?&body={expected}\nhttp://localhost/meetings/{m.slug}"
    mail = next(h for h in hrefs(html) if h.startswith("mailto:"))
    fields = parse_qs(urlsplit(mail).query)
    assert fields["subject"] == ["Step by Step"]
    assert expected in fields["body"][0]
    assert f"http://localhost/meetings/{m.slug}" in fields["body"][0]


def test_online_share_text_says_online_and_its_zone(client, make_meeting) -> None:
    m = make_meeting(
        name="Night Owls",
        day=5,
        time=dt.time(21, 30),
        approximate=True,
        conference_url="https://meet.example.com/owls",
    )
    assert "Night Owls, Fridays 9:30 pm ET online" in text(client.get(f"/meetings/{m.slug}"))


def test_share_button_is_there_for_the_script_and_links_work_without_it(
    client, make_meeting
) -> None:
    m = make_meeting()
    html = text(client.get(f"/meetings/{m.slug}"))
    assert "data-share " in html and 'data-copied="Copied"' in html
    assert ">Text message</a>" in html and ">E-mail</a>" in html
    assert "<script>" not in html


def test_google_calendar_link_is_a_weekly_event_at_local_time(client, make_meeting) -> None:
    m = make_meeting(name="Step by Step", day=2, time=dt.time(19, 0), end_time=dt.time(20, 30))
    html = text(client.get(f"/meetings/{m.slug}"))
    google = next(h for h in hrefs(html) if h.startswith("https://calendar.google.com/"))
    args = parse_qs(urlsplit(google).query)
    assert args["action"] == ["TEMPLATE"]
    assert args["text"] == ["Step by Step"]
    assert args["dates"] == ["20261201T190000/20261201T203000"]
    assert args["ctz"] == ["America/New_York"]
    assert args["recur"] == ["RRULE:FREQ=WEEKLY;BYDAY=TU"]
    assert f"/meetings/{m.slug}.ics" in hrefs(html)


def shared_urls(html: str) -> list[str]:
    """Every URL the page hands to someone else: share data, sms, mail, canonical, og:url."""
    found = [meta(html, "og:url")]
    for href in hrefs(html):
        if href.startswith(("sms:", "mailto:")):
            body = parse_qs(urlsplit(href.replace("sms:?&", "sms:?")).query)["body"][0]
            found += [w for w in body.split() if "://" in w]
    for part in html.split('data-share-url="')[1:]:
        found.append(part.split('"', 1)[0])
    return found


def test_shared_links_leak_no_place_account_or_tracking(client, make_meeting) -> None:
    m = make_meeting()
    register(client, "sponsor1")
    login(client, "sponsor1")
    page = f"/meetings/{m.slug}?near=10001&lat=40.75&lng=-73.99&utm_source=x"
    html = text(client.get(page))
    urls = shared_urls(html)
    assert len(urls) >= 4
    for url in urls:
        assert url == f"http://localhost/meetings/{m.slug}", url
    assert "sponsor1" not in " ".join(urls)


def test_home_help_and_a_search_preview_in_a_text_message(client, make_meeting) -> None:
    make_meeting(name="Women on Tuesday", day=2, time=dt.time(19, 0), types=["W"])
    home = text(client.get("/"))
    assert meta(home, "og:title") == "Find a recovery meeting near you"
    assert "recovery meetings" in meta(home, "og:description")
    assert meta(home, "og:url") == "http://localhost/"
    help_page = text(client.get("/help"))
    assert "988" in meta(help_page, "og:description")
    search = text(client.get("/meetings?near=10001&day=2&type=W"))
    # The filters are part of what the preview says the link shows.
    assert meta(search, "og:title") == "Meetings near New York, NY 10001 · Tuesday, Women"
    assert "<title>Meetings near New York, NY 10001 · Tuesday, Women · finder</title>" in search
    assert meta(search, "og:url") == "http://localhost/meetings?near=10001&day=2&type=W"
    spanish = text(client.get("/meetings?near=10001&day=2&type=W&lang=es"))
    assert meta(spanish, "og:title").endswith("· Martes, Mujeres")


def test_a_search_from_my_location_previews_as_a_shared_place(client, make_meeting) -> None:
    make_meeting(name="Women on Tuesday", day=2, time=dt.time(19, 0), types=["W"])
    search = text(client.get("/meetings?lat=40.748&lng=-73.997&day=2"))
    # Whoever gets the link is elsewhere: the page names "a shared location", and says "your
    # location" only on the phone that located itself (tests/browser/test_phone.py).
    assert "<title>Meetings near a shared location · Tuesday · finder</title>" in search
    assert '<span data-place-label data-yours="your location">a shared location</span>' in search
    assert meta(search, "og:title") == "Meetings near a shared location · Tuesday"
    assert meta(search, "twitter:title") == "Meetings near a shared location · Tuesday"


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("attendance=online", "Online meetings"),
        ("attendance=online&type=BE", "Online meetings · Newcomer"),
        ("near=10001&attendance=online", "Meetings near New York, NY 10001 · Online"),
    ],
)
def test_online_meetings_anywhere_say_online_once(client, make_meeting, query, title) -> None:
    make_meeting(conference_url="https://meet.example.com/1", types=["O", "BE"])
    search = text(client.get(f"/meetings?{query}"))
    assert meta(search, "og:title") == title
    assert f"<title>{title} · finder</title>" in search


def test_a_meeting_page_has_one_preview_its_own(client, make_meeting) -> None:
    m = make_meeting(name="Step by Step", day=2, time=dt.time(19, 0))
    html = text(client.get(f"/meetings/{m.slug}"))
    assert html.count('property="og:title"') == 1
    assert html.count('rel="canonical"') == 1
