"""Absolute links: from PUBLIC_BASE_URL whenever it is set, never from the request's Host."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for
from markupsafe import Markup

from finder.context import page_path


def absolute_url(endpoint: str, **values: Any) -> str:
    """url_for(..., _external=True), but on PUBLIC_BASE_URL when the operator set it."""
    base = str(current_app.config.get("SERVER_NAME_FOR_LINKS") or "").rstrip("/")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


def page_url() -> str:
    """This page's own absolute address, for link previews (finder.context.page_path)."""
    base = str(current_app.config.get("SERVER_NAME_FOR_LINKS") or request.host_url).rstrip("/")
    return base + page_path()


PREVIEW_TAGS = Markup(
    '<link rel="canonical" href="{url}">\n'
    '<meta property="og:type" content="website">\n'
    '<meta property="og:site_name" content="finder">\n'
    '<meta property="og:title" content="{title}">\n'
    '<meta property="og:description" content="{description}">\n'
    '<meta property="og:url" content="{url}">\n'
    '<meta name="twitter:card" content="summary">\n'
    '<meta name="twitter:title" content="{title}">\n'
    '<meta name="twitter:description" content="{description}">'
)


def preview_tags(title: str, description: str, url: str) -> Markup:
    """How a link looks in a text message: its canonical address, Open Graph and Twitter
    tags (the values escaped). Every page has them; meeting and list pages give their own."""
    return PREVIEW_TAGS.format(title=title, description=description, url=url)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["preview_tags"] = preview_tags
