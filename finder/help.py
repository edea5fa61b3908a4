"""Need help now?: crisis lines, treatment, and what to do in an overdose (/help).

The page never touches the database, so it still answers while the database is down,
and the service worker keeps a copy for when there is no network at all.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

bp = Blueprint("help", __name__)


def nowrap(number: str, href: str | None = None) -> Markup:
    """A phone number that never breaks across lines; a link when href is given."""
    if href:
        return Markup('<a class="nowrap" href="{}">{}</a>').format(href, number)
    return Markup('<span class="nowrap">{}</span>').format(escape(number))


@bp.get("/help")
def crisis() -> ResponseReturnValue:
    # standalone: no account links (they would load the logged-in user from the database).
    response = render_template("help.html", standalone=True)
    return response, 200, {"Cache-Control": "no-cache"}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(nowrap=nowrap)
    app.register_blueprint(bp)
