"""The in-memory search index behind finder.nearby: see holder.py, and bench/README.md."""

from __future__ import annotations

from flask import Flask

from finder.spatial import changes
from finder.spatial.holder import MODES, holder_for


def init_app(app: Flask) -> None:
    """Track meeting writes in every session; set the index mode of the app's database."""
    changes.install()
    mode = str(app.config.get("SEARCH_INDEX") or "auto")
    if mode not in MODES:
        raise ValueError(f"FINDER_SEARCH_INDEX must be one of {', '.join(MODES)}, not {mode!r}")
    holder_for(app.extensions["finder.engine"]).mode = mode
