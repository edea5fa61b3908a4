"""Configuration from environment variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from finder import create_app
from finder.config import ConfigError, from_environ

ROOT = Path(__file__).resolve().parent.parent


def test_secret_key_is_required_outside_development() -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environ({"FINDER_ENV": "production"})
    with pytest.raises(ConfigError):
        from_environ({})


def test_development_runs_without_a_secret_and_on_sqlite() -> None:
    config = from_environ({"FINDER_ENV": "development"})
    assert config["SECRET_KEY"]
    assert config["DATABASE_URL"].startswith("sqlite:///")
    assert config["DATABASE_URL"].endswith("instance/finder.sqlite3")
    assert config["GEOCODER"] == "offline"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_settings_come_from_the_environment() -> None:
    config = from_environ(
        {
            "SECRET_KEY": "s3cret-value",
            "DATABASE_URL": "postgresql+psycopg://finder@db/finder",
            "GEOCODER": "Nominatim",
            "GEOCODER_USER_AGENT": "finder (ops@example.org)",
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
            "SESSION_COOKIE_SECURE": "true",
        }
    )
    assert config["SECRET_KEY"] == "s3cret-value"
    assert config["DATABASE_URL"] == "postgresql+psycopg://finder@db/finder"
    assert config["GEOCODER"] == "nominatim"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert config["SESSION_COOKIE_SECURE"] is True


def test_app_refuses_to_start_with_a_misconfigured_geocoder(database_url: str) -> None:
    with pytest.raises(ConfigError, match="GEOCODER_USER_AGENT"):
        create_app({"DATABASE_URL": database_url, "GEOCODER": "nominatim"})


def test_missing_secret_is_one_clear_line_not_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FINDER_ENV"}}
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db:5432/finder", "postgresql+psycopg://u:p@db:5432/finder"),
        ("postgresql://u@db/finder", "postgresql+psycopg://u@db/finder"),
        ("postgresql+psycopg://u@db/finder", "postgresql+psycopg://u@db/finder"),
        ("sqlite:////tmp/f.sqlite3", "sqlite:////tmp/f.sqlite3"),
    ],
)
def test_database_urls_as_hosts_write_them(given: str, used: str) -> None:
    env = {"FINDER_ENV": "development", "DATABASE_URL": given}
    assert from_environ(env)["DATABASE_URL"] == used


@pytest.mark.parametrize(
    ("name", "value"),
    [("FEED_TIMEOUT", "abc"), ("FEED_MAX_BYTES", "1.5"), ("TRUSTED_PROXIES", "x")],
)
def test_a_bad_number_is_one_clear_line_not_a_traceback(name: str, value: str) -> None:
    env = {**os.environ, "FINDER_ENV": "development", name: value}
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{name} must be" in result.stderr and repr(value) in result.stderr
