"""gunicorn settings for production: gunicorn -c gunicorn.conf.py wsgi:app

Every setting can be changed through the environment (values shown are the defaults):
  GUNICORN_BIND=0.0.0.0:8000 (or PORT=8000)   WEB_CONCURRENCY=2 x cores + 1 (at most 8)
  GUNICORN_TIMEOUT=30   GUNICORN_PRELOAD=1   GUNICORN_ACCESSLOG=-   GUNICORN_MAX_REQUESTS=0
  FORWARDED_ALLOW_IPS=127.0.0.1 (the load balancer's addresses, or * on a private network)

The access log never has query strings, referrers or client addresses: a search's query
string holds where someone is, and the log must not tie that to anyone.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from typing import Any

from gunicorn.glogging import Logger

cpu_count = os.cpu_count() or 1


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = _env_int("WEB_CONCURRENCY", min(2 * cpu_count + 1, 8))
worker_class = "sync"
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# Load the app once in the master and build the search index there, so every worker
# starts with it (the arrays are shared copy-on-write) instead of building its own.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in {"0", "false", "no"}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# Method, path without the query string, status, bytes, milliseconds: no client address.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Controls (and text-direction marks) a decoded path may carry: %0a would forge a log line.
LOG_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(value: str) -> str:
    return LOG_UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


class EscapingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with every text of an access line escaped onto one line."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {k: _escaped(v) if isinstance(v, str) else v for k, v in atoms.items()}


logger_class = EscapingLogger


def _engine(server: Any) -> Any:
    app = server.app.wsgi()
    return app.extensions["finder.engine"]


def when_ready(server: Any) -> None:
    """With preload, build the geocoder's and the search index in the master before forking."""
    if not preload_app:
        return
    from finder.geocoding import offline
    from finder.spatial.holder import holder_for

    offline.warm()  # the "City, ST" index: seconds per worker otherwise

    engine = _engine(server)
    try:
        holder_for(engine).warm()
    except Exception:  # a missing table or a database hiccup: workers build it lazily
        logging.getLogger("gunicorn.error").exception("search index: not built in the master")
    engine.dispose()  # no connection may be shared with the forked workers
    gc.collect()
    gc.freeze()  # the workers' collections then leave the master's objects (and pages) alone


def post_fork(server: Any, worker: Any) -> None:
    """A forked worker opens its own database connections."""
    if preload_app:
        _engine(server).dispose(close=False)
