"""Installable and offline: the web app manifest, the service worker, the offline page.

static/sw.js keeps the app shell, /help, the favorites page and the meeting pages a person
opened, so they open with no network (marked as a saved copy by static/app.js). It is
served from the site root so that its scope is the whole site.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, jsonify
from flask.typing import ResponseReturnValue

from finder.help import render_standalone
from finder.i18n import current_language
from finder.i18n import gettext as _
from finder.web import static_url

bp = Blueprint("offline", __name__)

THEME_COLOR = "#0b57d0"
BACKGROUND_COLOR = "#ffffff"
ICONS = (("icon-192.png", "192x192", "any"), ("icon-512.png", "512x512", "any"))
MASKABLE_ICON = ("icon-maskable-512.png", "512x512", "maskable")
# Files whose change must install a new service worker (and so refresh the saved shell).
SHELL_FILES = ("sw.js", "app.js", "app.css")


def _static_dir() -> Path:
    return Path(current_app.static_folder or "static")


def shell_version() -> str:
    """A hash of the service worker and the shell it keeps: new files, new worker."""
    digest = hashlib.sha256()
    for name in SHELL_FILES:
        digest.update((_static_dir() / name).read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    icons = [
        {"src": static_url(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
        for name, sizes, purpose in (*ICONS, MASKABLE_ICON)
    ]
    body = {
        "name": _("finder: recovery meetings"),
        "short_name": "finder",
        "description": _("Find peer-support recovery meetings near you or online, soonest first."),
        "lang": current_language(),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.cache_control.no_cache = True
    return response


@bp.get("/sw.js")
def service_worker() -> Response:
    source = (_static_dir() / "sw.js").read_text("utf-8")
    response = Response(source.replace("__VERSION__", shell_version()), mimetype="text/javascript")
    # Browsers re-check the worker on every visit only when caches may not keep it.
    response.cache_control.no_cache = True
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline_page() -> ResponseReturnValue:
    """What opens with no network when a page was never saved (a search, for example)."""
    return render_standalone("offline.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
