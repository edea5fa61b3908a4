"""Bad input on account forms gets a clear message on the page, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from finder.accounts.models import SobrietyDate, User
from tests.accounts_support import PASSWORD, days_ago, login, register, text


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("", PASSWORD, PASSWORD, "Choose a username."),
        ("ab", PASSWORD, PASSWORD, "Use 3 to 40 letters"),
        ("has space", PASSWORD, PASSWORD, "Use 3 to 40 letters"),
        ("<script>", PASSWORD, PASSWORD, "Use 3 to 40 letters"),
        ("x" * 41, PASSWORD, PASSWORD, "Use 3 to 40 letters"),
        ("sam", "", "", "Choose a password."),
        ("sam", "short", "short", "at least 10 characters"),
        ("sam", "password123456", "password123456", "too common"),
        ("sam", "sam-is-my-name-ok", "sam-is-my-name-ok", "too common"),
        ("sam", PASSWORD, PASSWORD + "!", "The two passwords are not the same."),
        ("sam", "p" * 201 + "xyz", "p" * 201 + "xyz", "at most 200"),
    ],
)
def test_registration_problems_are_explained(client, session, username, password, confirm, message):
    data = {"username": username, "password": password, "confirm": confirm}
    r = client.post("/register", data=data)
    assert r.status_code == 200
    assert message in text(r)
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_usernames_are_unique_whatever_the_case(app, client, session):
    register(client, "Sam")
    r = register(app.test_client(), "sAM")
    assert "That username is taken" in text(r)
    assert session.scalar(select(func.count()).select_from(User)) == 1
    client.post("/logout")
    assert login(client, username="SAM").status_code == 302  # logging in ignores case too
    assert "Logged in as <strong>Sam</strong>" in text(client.get("/me"))


@pytest.mark.parametrize(
    ("username", "password"),
    [("sam", "wrong password!"), ("nobody", PASSWORD), ("", PASSWORD), ("sam", "")],
)
def test_a_failed_login_says_so_without_telling_which_part_was_wrong(client, username, password):
    register(client)
    client.post("/logout")
    r = login(client, username=username, password=password)
    assert r.status_code == 200
    page = text(r)
    assert "match" in page or "Enter your" in page
    assert "no such user" not in page.lower()
    assert client.get("/me").status_code == 302


def test_the_login_page_says_kindly_that_there_is_no_password_reset(client):
    note = "Without an email we can't reset it"
    assert note in text(client.get("/login")).replace("&#39;", "'")
    assert "reset a forgotten password" in text(client.get("/register")).replace("&#39;", "'")
    register(client)
    client.post("/logout")
    page = text(login(client, password="not the password")).replace("&#39;", "'")
    assert "don't match" in page and note in page
    assert "You can make a new account; meetings you saved can be saved again." in page


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("", "Enter a date"),
        ("2024-13-01", "There is no such date: check the day and the month."),
        ("2023-02-29", "There is no such date"),
        ("yesterday", "YYYY-MM-DD"),
        ("03/15/2024", "YYYY-MM-DD"),
        ("1850-01-01", "very long ago"),
        ("2999-01-01", "still to come"),
    ],
)
def test_bad_sobriety_dates_are_explained(client, session, date, message):
    register(client)
    r = client.post("/me/sobriety", data={"label": "Alcohol", "date": date})
    assert r.status_code == 400
    assert message in text(r)
    assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 0


@pytest.mark.parametrize("date", ["1900-01-01", "1934-12-31", "0001-01-01"])
def test_dates_before_aa_began_are_refused_with_the_reason(client, session, date):
    register(client)
    r = client.post("/me/sobriety", data={"date": date})
    assert r.status_code == 400
    assert "We accept dates from 1935 on, when AA, the first of these fellowships, began." in text(
        r
    )
    assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 0
    client.post("/me/sobriety", data={"date": days_ago(10)})
    record = session.scalar(select(SobrietyDate))
    r = client.post(f"/me/sobriety/{record.id}", data={"date": date})
    assert r.status_code == 200 and "very long ago" in text(r)
    session.expire_all()
    assert session.scalar(select(SobrietyDate.date)).isoformat() == days_ago(10)  # kept
    assert 'min="1935-01-01"' in text(client.get("/me/sobriety"))


def test_the_first_day_of_1935_is_accepted(client):
    register(client)
    assert client.post("/me/sobriety", data={"date": "1935-01-01"}).status_code == 302


def test_a_too_long_label_is_explained(client):
    register(client)
    r = client.post("/me/sobriety", data={"label": "x" * 61, "date": days_ago(3)})
    assert r.status_code == 400 and "Keep it to 60 characters at most." in text(r)
    r = client.post("/me/sobriety", data={"label": "x" * 60, "date": days_ago(3)})
    assert r.status_code == 302  # 60 itself is fine


def test_today_is_a_fine_date_and_shows_day_one(client):
    register(client)
    client.post("/me/sobriety", data={"date": days_ago(0)})
    page = text(client.get("/me/sobriety"))
    assert "Day one" in page and "Next: 24 hours" in page and "tomorrow" in page


def test_changing_a_date_to_the_future_is_refused(client, session):
    register(client)
    client.post("/me/sobriety", data={"date": days_ago(10)})
    record = session.scalar(select(SobrietyDate))
    r = client.post(f"/me/sobriety/{record.id}", data={"date": "2999-01-01"})
    assert r.status_code == 200 and "still to come" in text(r)
    session.expire_all()
    assert record.date.isoformat() == days_ago(10)


def test_unknown_record_ids_are_friendly_404s(client):
    register(client)
    assert client.get("/me/sobriety/999").status_code == 404
    assert client.post("/me/sobriety/999/delete").status_code == 404
    assert client.post("/me/sobriety/history/999/delete").status_code == 404
    assert client.get("/me/sobriety/not-a-number").status_code == 404


def test_deleting_a_date_needs_the_box_ticked(client, session):
    register(client)
    client.post("/me/sobriety", data={"label": "Alcohol", "date": days_ago(40)})
    record = session.scalar(select(SobrietyDate))
    page = text(client.get(f"/me/sobriety/{record.id}"))
    assert "Yes, delete this date and its history" in page
    assert "It can't be undone." in page

    r = client.post(f"/me/sobriety/{record.id}/delete")
    assert r.status_code == 400
    assert "Tick the box to confirm. Nothing was deleted." in text(r)
    assert 'aria-invalid="true"' in text(r)
    assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 1

    r = client.post(f"/me/sobriety/{record.id}/delete", data={"confirm": "y"})
    assert r.status_code == 302
    assert "That date and its private history are deleted." in text(client.get(r.location))
    assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 0


def test_the_date_hint_is_true_in_every_browser(client, session):
    """Chromium shows mm/dd/yyyy, Firefox dd/mm/yyyy: the page names no format of its own."""
    register(client)
    client.post("/me/sobriety", data={"date": days_ago(3)})
    record = session.scalar(select(SobrietyDate))
    for url in ("/me/sobriety", f"/me/sobriety/{record.id}"):
        page = text(client.get(url))
        assert "YYYY-MM-DD" not in page and "Typing it" not in page, url
        assert "data-date-field" in page, url  # app.js explains typing where needed


def test_a_typed_year_month_day_date_works_without_javascript(client, session):
    register(client)
    r = client.post("/me/sobriety", data={"date": " 2024-03-15 "})
    assert r.status_code == 302
    assert session.scalar(select(SobrietyDate.date)).isoformat() == "2024-03-15"


@pytest.mark.parametrize("url", ["/me", "/me/sobriety"])
def test_privacy_is_described_truthfully(client, url):
    register(client)
    page = text(client.get(url))
    assert "Private to your account: never shown to anyone else, never shared" in page or (
        "It is private to your account: never shown to anyone else, never shared" in page
    )
    assert "Nobody else can see" not in page and "only you can see" not in page.lower()


def test_a_username_with_accents_is_refused_with_a_hint_that_says_why(client) -> None:
    hint = client.get("/register").get_data(as_text=True)
    assert "3 to 40 letters a–z (without accents) or digits" in hint
    answer = client.post(
        "/register",
        data={"username": "ünïcødé", "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC"},
    )
    assert "letters a–z (without accents)" in answer.get_data(as_text=True)


def test_a_typed_logout_address_asks_for_the_tap(client) -> None:
    assert client.get("/logout").headers["Location"].endswith("/")  # nobody logged in
    register(client)
    page = client.get("/logout")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Log out of finder on this device?" in html and 'action="/logout"' in html
    assert client.get("/me").status_code == 200  # the GET itself logged nobody out
