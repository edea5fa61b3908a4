"""Password hashing and the checks a new password has to pass."""

from __future__ import annotations

import pytest

from finder.accounts import passwords


def test_hash_is_argon2id_and_verifies_only_the_same_password():
    hashed = passwords.hash_password("lantern river cobalt")
    assert hashed.startswith("$argon2id$")
    assert "lantern" not in hashed
    assert passwords.verify_password(hashed, "lantern river cobalt")
    assert not passwords.verify_password(hashed, "lantern river cobalT")
    assert not passwords.verify_password("not a hash", "lantern river cobalt")


def test_the_shipped_list_has_thousands_of_common_passwords():
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert {"password", "123456", "qwertyuiop", "1qaz2wsx3edc"} <= common


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password2024!",
        "qwertyuiop",
        "1234567890",
        "PASSWORDPASSWORD",
        "iloveyou!!!!",
        "aaaaaaaaaaaa",
        "abababababab",
        "!!1qaz2wsx3edc",
        "sammy-the-runner",  # contains the username
    ],
)
def test_common_and_guessable_passwords_are_refused(password):
    assert passwords.password_problem(password, username="sammy") is not None


@pytest.mark.parametrize(
    ("password", "words"),
    [("short", "at least 10"), ("x" * 201, "at most 200"), ("letmein12345", "too common")],
)
def test_problems_are_explained(password, words):
    problem = passwords.password_problem(password)
    assert problem is not None and words in problem


@pytest.mark.parametrize(
    "password", ["lantern river cobalt", "violet-harbor-71", "Correct Horse Staple"]
)
def test_good_passwords_pass(password):
    assert passwords.password_problem(password, username="sammy") is None
