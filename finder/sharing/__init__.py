"""Sharing meetings: link previews, share links, calendar files, QR codes, lists for a sponsee."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("sharing", __name__)


def init_app(app: Flask) -> None:
    from finder.sharing import views, views_lists  # noqa: F401 (they register routes on bp)
    from finder.sharing.links import weekly_days
    from finder.sharing.lists import MAX_MEETINGS

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        meeting_sharing=views.sharing_for,
        meeting_preview=views.preview_for,
        weekly_time=views.weekly_time,
        weekly_days=weekly_days,
        list_max_meetings=MAX_MEETINGS,
    )
