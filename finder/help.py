"""Need help now?: crisis lines, treatment, and what to do in an overdose (/help).

The page never touches the database, so it still answers while the database is down,
and the service worker keeps a copy for when there is no network at all.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from finder.accounts import leave_account_unread

bp = Blueprint("help", __name__)


def nowrap(number: str, href: str | None = None) -> Markup:
    """A phone number that never breaks across lines; a link when href is given."""
    if href:
        return Markup('<a class="nowrap" href="{}">{}</a>').format(href, number)
    return Markup('<span class="nowrap">{}</span>').format(escape(number))


def render_standalone(template: str) -> ResponseReturnValue:
    """A page that must open while the database is down: no account links, no user loaded.

    Flask-Login's template context loads the logged-in user from the database on every
    render; marking this request anonymous first keeps the database out of it.
    """
    leave_account_unread()
    html = render_template(template, standalone=True)
    return html, 200, {"Cache-Control": "no-cache"}


@bp.get("/help")
def crisis() -> ResponseReturnValue:
    return render_standalone("help.html")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(nowrap=nowrap)
    app.register_blueprint(bp)
