"""Hardening of accounts (issue 13): logout ends every copy, odd input answers 4xx, no lockout."""

from __future__ import annotations

import logging

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from finder.accounts import passwords, store
from finder.accounts.models import SobrietyDate, User
from tests.accounts_support import PASSWORD, days_ago, login, register, text


def test_logout_ends_copied_session_and_remember_me_cookies(app, client):
    register(client)
    client.post("/logout")
    login(client, remember="y")
    copy = app.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        assert cookie is not None
        copy.set_cookie(name, cookie.value)
    assert copy.get("/me/export.json").status_code == 200

    client.post("/logout")

    r = copy.get("/me/export.json")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    only_remember = app.test_client()
    only_remember.set_cookie("remember_token", copy.get_cookie("remember_token").value)
    assert only_remember.get("/me/export.json").status_code == 302
    assert login(client).status_code == 302  # the person logs in again as usual


def test_a_simultaneous_registration_of_the_same_username_is_a_form_error(
    app, client, session, monkeypatch, caplog
):
    assert register(app.test_client(), username="sam").status_code == 302
    # The other registration checked a moment before the first one committed.
    monkeypatch.setattr(store, "find_user", lambda _db, _name: None)
    caplog.set_level(logging.DEBUG)
    r = register(client, username="Sam")
    assert r.status_code == 200
    assert "That username is taken" in text(r)
    assert session.scalar(select(func.count()).select_from(User)) == 1
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert "argon2" not in logged and "session_token" not in logged


@pytest.mark.parametrize(
    ("field", "value"),
    [("label", "Alcohol\x00"), ("label", "Alco\x1bhol"), ("label", "\u202eloholcA")],
)
def test_control_characters_in_a_label_are_refused(client, session, field, value):
    register(client)
    r = client.post("/me/sobriety", data={field: value, "date": days_ago(10)})
    assert r.status_code == 400
    assert session.scalar(select(func.count()).select_from(SobrietyDate)) == 0


def test_a_label_with_an_escape_character_gets_a_form_error(client):
    register(client)
    r = client.post("/me/sobriety", data={"label": "Alco\x1bhol", "date": days_ago(10)})
    assert "Please use only letters" in text(r)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/meetings/a%00b", 404),
        ("/meetings/a%00b/favorite", 404),
        ("/me/favorites/a%00b/seen", 404),
        ("/api/v1/meetings?near=1%000", 400),
    ],
)
def test_nul_bytes_in_urls_answer_4xx(client, path, status):
    register(client)
    r = client.get(path) if "api" in path or path.count("/") == 2 else client.post(path)
    assert r.status_code == status


def test_nul_bytes_in_a_username_answer_400(client, session):
    assert login(client, username="sam\x00").status_code == 400
    assert register(client, username="sam\x00x").status_code == 400
    assert session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/me/sobriety/2147483648",
        "/me/sobriety/99999999999999999999",
        "/me/sobriety/2147483648/delete",
        "/me/sobriety/history/99999999999999999999/delete",
    ],
)
def test_ids_beyond_any_table_answer_404(client, path):
    register(client)
    r = client.post(path, data={"confirm": "y"}) if path.endswith("delete") else client.get(path)
    assert r.status_code == 404


class TestNoLockout:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    @pytest.fixture(autouse=True)
    def cheap_hashes(self, monkeypatch):
        cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        monkeypatch.setattr(passwords, "_hasher", cheap)

    def test_failures_from_many_addresses_never_lock_the_owner_out(self, app, client):
        register(client)
        client.post("/logout")
        stranger = app.test_client()
        for n in range(120):  # a proxy's rotating addresses
            stranger.environ_base["REMOTE_ADDR"] = f"198.51.{n // 200}.{n % 200 + 1}"
            wrong = {"username": "sam", "password": f"wrong guess {n}"}
            assert stranger.post("/login", data=wrong).status_code == 200
        assert login(client, password=PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "/me/password",
            {
                "current_password": "p" * 300_000,
                "password": "harbor violet seventy",
                "confirm": "harbor violet seventy",
            },
            "Use at most 200 characters.",
        ),
        ("/me/delete", {"password": "p" * 300_000}, "Use at most 200 characters."),
        ("/me/sobriety", {"label": "L" * 61, "date": days_ago(3)}, "60 characters at most"),
    ],
)
def test_free_text_in_forms_is_capped(client, session, path, data, message):
    register(client)
    r = client.post(path, data=data)
    assert r.status_code in (200, 400)
    assert message in text(r)
    assert client.get("/me").status_code == 200  # nothing was changed or deleted
