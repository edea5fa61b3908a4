"""Feeds: import Meeting Guide, TSML, BMLT and CSV feeds; publish finder's own feed."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the feed blueprint and the import-feed and refresh-feeds commands."""
    from finder.feeds import cli, views

    app.register_blueprint(views.bp)
    views.install_cache(app)
    app.cli.add_command(cli.import_feed_command)
    app.cli.add_command(cli.refresh_feeds_command)
