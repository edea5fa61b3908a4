"""Command-line tools: flask --app wsgi demo-data ..."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the CLI commands (init-db is registered by finder.db)."""
