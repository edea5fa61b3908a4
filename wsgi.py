"""WSGI entry point: gunicorn wsgi:app, or flask --app wsgi ..."""

from finder import create_app
from finder.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:  # a one-line message, not a traceback
    raise SystemExit(f"finder: {exc}") from None
