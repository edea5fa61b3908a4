"""The health check: each dependency finder needs, and whether it answers."""

from __future__ import annotations

import logging

from finder.db import ping
from finder.extensions import limiter

log = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        ping()
    except Exception as exc:
        log.warning("health: database unavailable (%s)", type(exc).__name__)
        return False
    return True


def rate_limits_ok() -> bool:
    """Whether the rate-limit storage (Redis in production) answers; no limits need none."""
    if not limiter.enabled:
        return True
    try:
        return bool(limiter.storage.check())
    except Exception as exc:
        log.warning("health: rate-limit storage unavailable (%s)", type(exc).__name__)
        return False


def report() -> tuple[dict[str, str], int]:
    """({"status", "database", "rate_limits"}, 200 or 503 when anything is down)."""
    checks = {"database": database_ok(), "rate_limits": rate_limits_ok()}
    healthy = all(checks.values())
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    return {"status": "ok" if healthy else "unavailable", **body}, 200 if healthy else 503
