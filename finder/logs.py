"""Logging that never records where someone searched: query strings are cut from request logs."""

from __future__ import annotations

import logging
import re

QUERY_RE = re.compile(r"\?[^\s\"]*")


class StripQueryStrings(logging.Filter):
    """Removes ?query=... from log records (werkzeug's and gunicorn's access lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = QUERY_RE.sub("", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                QUERY_RE.sub("", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def configure() -> None:
    logging.basicConfig(level=logging.INFO)
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, StripQueryStrings) for f in logger.filters):
            logger.addFilter(StripQueryStrings())
