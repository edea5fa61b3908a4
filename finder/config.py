"""Configuration, read once from environment variables (all listed in README.md)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """The environment does not describe a runnable configuration."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str | None) -> list[str] | None:
    items = [item.strip() for item in (value or "").split(",") if item.strip()]
    return items or None


def _number(env: dict[str, str], name: str, default: str, kind: type[float] | type[int]) -> Any:
    """A numeric variable, or a ConfigError naming it (not a traceback from float())."""
    raw = (env.get(name) or default).strip()
    try:
        return kind(raw)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {noun}, not {raw!r}.") from None


def _megabytes(env: dict[str, str], name: str, default: str) -> float:
    value = float(_number(env, name, default, float))
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{name} must be 0 or more megabytes, not {env.get(name)!r}.")
    return value


def database_url(raw: str) -> str:
    """The URL SQLAlchemy needs: hosts hand out postgres:// (SQLAlchemy knows only
    postgresql://), and plain postgresql:// would ask for psycopg2, which finder does not
    install; both mean psycopg (3)."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _ratelimit_storage(uri: str) -> dict[str, Any]:
    """Where limits are counted; an unreachable Redis answers fast and falls back to memory."""
    options = {"socket_connect_timeout": 1, "socket_timeout": 1} if uri.startswith("redis") else {}
    return {
        "RATELIMIT_STORAGE_URI": uri,
        "RATELIMIT_STORAGE_OPTIONS": options,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }


def from_environ(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from environment variables."""
    env = dict(os.environ if environ is None else environ)
    finder_env = env.get("FINDER_ENV", "production").strip().lower()
    development = finder_env in {"development", "dev", "testing", "test"}
    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if not development:
            raise ConfigError(
                "SECRET_KEY must be set outside development "
                "(or set FINDER_ENV=development for a local run)."
            )
        secret_key = "dev-only-not-secret"  # noqa: S105 (development only)
    url = database_url(env.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'finder.sqlite3'}")
    return {
        "FINDER_ENV": finder_env,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": url,
        "SQL_ECHO": _bool(env.get("SQL_ECHO")),
        # Geocoding: "offline", "nominatim", or any geopy provider name.
        "GEOCODER": env.get("GEOCODER", "offline").strip().lower(),
        "GEOCODER_USER_AGENT": env.get("GEOCODER_USER_AGENT", ""),
        "GEOCODER_API_KEY": env.get("GEOCODER_API_KEY", ""),
        "GEOCODER_DOMAIN": env.get("GEOCODER_DOMAIN", ""),
        "GEOCODER_TIMEOUT": _number(env, "GEOCODER_TIMEOUT", "3", float),
        "GEOCODER_MIN_DELAY": _number(env, "GEOCODER_MIN_DELAY", "1", float),
        # Feed imports from URLs: seconds before giving up, and the largest body accepted.
        "FEED_TIMEOUT": _number(env, "FEED_TIMEOUT", "30", float),
        "FEED_MAX_BYTES": _number(env, "FEED_MAX_BYTES", str(50 * 1024 * 1024), int),
        # Feeds on loopback or private addresses (and redirects to them) are refused unless set.
        "FEED_ALLOW_PRIVATE": _bool(env.get("FEED_ALLOW_PRIVATE")),
        # Seconds a write waits for SQLite's lock (a long import) before answering 503.
        "DATABASE_BUSY_TIMEOUT": _number(env, "DATABASE_BUSY_TIMEOUT", "5", float),
        # The in-memory search index: auto (built in the background), sync, or off (SQL only).
        "SEARCH_INDEX": env.get("FINDER_SEARCH_INDEX", "auto").strip().lower(),
        # Megabytes of answers each process keeps for the rest of their minute (0: none).
        "KEPT_ANSWERS_MB": _megabytes(env, "FINDER_KEPT_ANSWERS_MB", "16"),
        # Rate limits (Flask-Limiter): memory by default, Redis in production.
        **_ratelimit_storage(env.get("RATELIMIT_STORAGE_URI", "memory://")),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,  # Retry-After on 429 answers
        # How many reverse proxies / load balancers sit in front (trust their X-Forwarded-*).
        "TRUSTED_PROXIES": _number(env, "TRUSTED_PROXIES", "0", int),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "PREFERRED_URL_SCHEME": env.get("PREFERRED_URL_SCHEME", "http"),
        "SERVER_NAME_FOR_LINKS": env.get("PUBLIC_BASE_URL", ""),
        # Host names this site answers to (Flask's TRUSTED_HOSTS); any other Host gets 400.
        "TRUSTED_HOSTS": _list(env.get("TRUSTED_HOSTS")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "JSON_SORT_KEYS": False,
    }
