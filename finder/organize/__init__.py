"""Organizers post and keep their group's meetings true; admins moderate (issue 9)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("organize", __name__)


def init_app(app: Flask) -> None:
    """The organizer, admin and public pages, the meeting-page panel, create-admin."""
    from finder.organize import (  # noqa: F401
        cli,
        panel,
        views,
        views_admin,
        views_public,
        views_suggestions,
    )

    app.register_blueprint(bp)
    app.jinja_env.globals["organize_panel"] = panel.meeting_panel
    app.cli.add_command(cli.create_admin_command)
