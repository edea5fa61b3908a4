"""Password hashing (argon2id) and the checks a new password must pass."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from finder.i18n import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 200  # hashing megabytes of "password" is a cheap denial of service

_hasher = PasswordHasher()
# Verified against when a username is unknown, so both answers take as long.
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def burn_time(password: str) -> None:
    """Spend as long as a real verification, for usernames that do not exist."""
    verify_password(_DUMMY_HASH, password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of the most common passwords, lower case."""
    text = resources.files("finder.accounts").joinpath("data/common-passwords.txt")
    lines = text.read_text("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("# "))


_SYMBOLS = re.compile(r"^[\W_]+|[\W_]+$")
_DIGITS_AND_SYMBOLS = re.compile(r"[\d\W_]+$")


def _cores(lowered: str) -> set[str]:
    """The password without decoration: symbols around it, digits and symbols after it."""
    bare = _SYMBOLS.sub("", lowered)
    return {bare, _DIGITS_AND_SYMBOLS.sub("", lowered), _DIGITS_AND_SYMBOLS.sub("", bare)}


def is_common(password: str, username: str = "") -> bool:
    """A common password, a common one with digits or symbols around it, or a repeat."""
    lowered = password.lower().strip()
    common = common_passwords()
    if lowered in common or len(set(lowered)) < 4:
        return True
    for core in _cores(lowered):
        if len(core) >= 4 and (core in common or _is_repeat(core)):
            return True
    return len(username) >= 3 and username.lower() in lowered


def _is_repeat(text: str) -> bool:
    """'abcabcabc', 'qwertyqwerty': one short piece repeated."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password cannot be used, in words, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        words = _("Use at least %(n)s characters. A few unrelated words work well.", n=MIN_LENGTH)
        return str(words)
    if len(password) > MAX_LENGTH:
        return str(_("Use at most %(n)s characters.", n=MAX_LENGTH))
    if is_common(password, username):
        return str(
            _(
                "That password is too common or too easy to guess. "
                "Try three or four unrelated words that mean something only to you."
            )
        )
    return None
