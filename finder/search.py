"""Search pages: the home page, the results list and the meeting page."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("search", __name__)


@bp.get("/")
def index() -> str:
    return render_template("search/index.html")
