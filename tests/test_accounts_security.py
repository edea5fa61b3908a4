"""Security of accounts: CSRF, sessions, cookies, `next`, rate limits, privacy."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from finder.accounts.models import SobrietyDate
from tests.accounts_support import PASSWORD, csrf_token, days_ago, login, register, text

NEW_PASSWORD = "harbor violet seventy"


def session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_login_renews_the_session(app, client):
    register(client)
    client.post("/logout")
    client.get("/me")  # leaves a "please log in" message: an anonymous session cookie
    before = session_cookie(client)
    assert before
    login(client)
    after = session_cookie(client)
    assert after and after != before

    # The cookie from before logging in is still anonymous.
    other = app.test_client()
    other.set_cookie("session", before)
    assert other.get("/me").status_code == 302


def test_two_logins_of_the_same_person_get_different_sessions(app, client):
    register(client)
    first, second = app.test_client(), app.test_client()
    login(first)
    login(second)
    assert session_cookie(first) != session_cookie(second)
    assert first.get("/me").status_code == second.get("/me").status_code == 200


def test_changing_the_password_ends_every_other_session(app, client):
    register(client)
    elsewhere = app.test_client()
    login(elsewhere)
    remembered = app.test_client()
    login(remembered, remember="y")
    remembered.delete_cookie("session")  # the browser restarted: only remember-me is left
    assert remembered.get("/me").status_code == 200

    r = client.post(
        "/me/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert client.get("/me").status_code == 200  # this session goes on
    assert elsewhere.get("/me").status_code == 302
    remembered.delete_cookie("session")
    assert remembered.get("/me").status_code == 302
    assert login(app.test_client()).status_code == 200  # the old password is refused
    assert login(app.test_client(), password=NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password here", NEW_PASSWORD, NEW_PASSWORD, "not your current password"),
        (PASSWORD, "short", "short", "at least 10"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "not the same"),
        (PASSWORD, "password12345", "password12345", "too common"),
    ],
)
def test_password_change_problems_are_explained(client, current, new, confirm, message):
    register(client)
    r = client.post(
        "/me/password", data={"current_password": current, "password": new, "confirm": confirm}
    )
    assert r.status_code == 200 and message in text(r)


def test_logout_is_a_post_and_forgets_remember_me(client):
    register(client)
    login(client, remember="y")
    # A GET (a link, a prefetch, a typed address) never logs out: it asks for the tap.
    assert client.get("/logout").status_code == 200
    assert client.get("/me").status_code == 200
    r = client.post("/logout")
    assert r.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert client.get("/me").status_code == 302


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/",
        "//evil.example/path",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        " //evil.example",
        "evil.example",
        "https:evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make_meeting, evil):
    register(client)
    client.post("/logout")
    r = client.post(f"/login?next={evil}", data={"username": "sam", "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/me"
    client.post("/logout")
    r = login(client, next=evil)
    assert r.headers["Location"] == "/me"
    meeting = make_meeting(slug="harbor-lights")
    r = client.post(f"/meetings/{meeting.slug}/favorite", data={"next": evil})
    assert r.headers["Location"] == "/meetings/harbor-lights"


def test_next_to_our_own_page_is_followed(client):
    register(client)
    client.post("/logout")
    r = login(client, next="/meetings?near=10001&day=today")
    assert r.headers["Location"] == "/meetings?near=10001&day=today"
    assert client.get("/me/sobriety").status_code == 200


def test_a_private_page_sends_people_to_log_in_and_back(client):
    register(client)
    client.post("/logout")
    r = client.get("/me/sobriety")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=")
    r = client.post(r.headers["Location"], data={"username": "sam", "password": PASSWORD})
    assert r.headers["Location"] == "/me/sobriety"


def test_cookies_are_http_only_and_same_site_lax(client, make_meeting):
    r = client.post(f"/meetings/{make_meeting().slug}/favorite")
    set_cookies = r.headers.getlist("Set-Cookie")
    register(client)
    client.post("/logout")
    set_cookies += login(client, remember="y").headers.getlist("Set-Cookie")
    names = {c.split("=")[0] for c in set_cookies}
    assert names >= {"finder_favorites", "session", "remember_token"}
    for cookie in set_cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
        assert "Secure" not in cookie, cookie  # plain HTTP here


def test_cookies_are_secure_over_https(app, make_meeting):
    client = app.test_client()
    slug = make_meeting().slug
    base = "https://localhost"
    r = client.post(f"{base}/meetings/{slug}/favorite")
    assert all("Secure" in c for c in r.headers.getlist("Set-Cookie"))
    register_data = {"username": "sam", "password": PASSWORD, "confirm": PASSWORD}
    client.post(f"{base}/register", data={**register_data, "timezone": "UTC"})
    client.post(f"{base}/logout")
    r = client.post(f"{base}/login", data={**register_data, "remember": "y"})
    set_cookies = r.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in set_cookies} >= {"session", "remember_token"}
    for cookie in set_cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


def test_private_pages_are_never_cached(client):
    register(client)
    for url in ("/me", "/me/sobriety", "/me/favorites", "/me/export.json", "/login"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_dates_never_reach_the_logs_or_urls(client, session, caplog):
    caplog.set_level(logging.DEBUG)
    register(client)
    date = days_ago(123)
    r = client.post("/me/sobriety", data={"label": "Gambling", "date": date})
    assert date not in r.headers["Location"]
    record = session.scalar(select(SobrietyDate))
    client.post(f"/me/sobriety/{record.id}", data={"label": "Gambling", "date": days_ago(2)})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert date not in logged and "Gambling" not in logged and days_ago(2) not in logged


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize(
        "url",
        ["/login", "/register", "/logout", "/meetings/harbor/favorite", "/me/sobriety"],
    )
    def test_a_post_without_the_token_is_refused_with_a_clear_message(self, client, url):
        r = client.post(url, data={"username": "sam", "password": PASSWORD, "confirm": PASSWORD})
        assert r.status_code == 400
        assert "This form expired or came from another site" in text(r)

    def test_the_forms_carry_their_token_and_work(self, client):
        token = csrf_token(text(client.get("/register")))
        data = {"username": "sam", "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC"}
        r = client.post("/register", data={**data, "csrf_token": token})
        assert r.status_code == 302
        page = text(client.get("/me/sobriety"))
        r = client.post("/me/sobriety", data={"date": days_ago(5), "csrf_token": csrf_token(page)})
        assert r.status_code == 302
        r = client.post("/me/delete", data={"password": PASSWORD})
        assert r.status_code == 400  # no token: the account is not deleted
        assert client.get("/me").status_code == 200


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def test_many_failures_for_one_username_answer_429(self, client):
        register(client)
        client.post("/logout")
        for _ in range(5):
            assert login(client, password="wrong password 1").status_code == 200
        r = login(client)  # even the right password waits now
        assert r.status_code == 429
        assert "Too many attempts" in text(r) and "wait a minute" in text(r)
        assert login(client, username="someone-else").status_code == 200  # others are not blocked

    def test_a_stranger_elsewhere_cannot_lock_someone_out(self, app, client):
        register(client)
        client.post("/logout")
        stranger = app.test_client()
        stranger.environ_base["REMOTE_ADDR"] = "198.51.100.7"
        for _ in range(6):
            stranger.post("/login", data={"username": "sam", "password": "wrong password 1"})
        assert stranger.post("/login", data={"username": "sam", "password": "x"}).status_code == 429
        r = login(client)  # sam, from their own address, with the right password
        assert r.status_code == 302

    def test_successful_logins_do_not_count_as_failures(self, client):
        register(client)
        for _ in range(6):
            client.post("/logout")
            assert login(client).status_code == 302

    def test_many_attempts_from_one_address_answer_429(self, client):
        for n in range(10):
            assert login(client, username=f"guess{n}").status_code == 200
        r = login(client, username="guess-eleven")
        assert r.status_code == 429 and "Too many attempts" in text(r)

    def test_mistakes_on_shared_wifi_do_not_lock_everyone_out_of_registering(self, client):
        # 25 weak passwords and mismatches from one address (a library, a treatment centre).
        for n in range(25):
            r = register(client, username=f"new{n}", password="short")
            assert r.status_code == 200 and "at least 10 characters" in text(r)
        assert register(client, username="finally-right").status_code == 302

    def test_many_registration_posts_in_a_minute_answer_429(self, client):
        for n in range(30):
            assert register(client, username=f"new{n}", password="short").status_code == 200
        r = register(client, username="one-more")
        assert r.status_code == 429 and "Too many attempts" in text(r)

    def test_only_accounts_made_count_toward_the_hourly_limit(self, app):
        for n in range(20):
            assert register(app.test_client(), username=f"person{n}").status_code == 302
        client = app.test_client()
        r = register(client, username="person-twenty-one")
        assert r.status_code == 429 and "an hour" in text(r)
        assert client.get("/register").status_code == 200  # the form itself still shows


class TestRateLimitLogs:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def test_blocked_attempts_do_not_log_the_username(self, client, caplog):
        caplog.set_level(logging.DEBUG)
        for _ in range(7):
            login(client, username="quiet-sam", password="wrong password 1")
        assert any("exceeded" in r.getMessage() for r in caplog.records)
        assert not any("quiet-sam" in r.getMessage() for r in caplog.records)
