"""A meeting's calendar file and QR code, and the share block's links for its page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort
from flask.typing import ResponseReturnValue

import finder.search as search_pkg
from finder.db import get_session
from finder.models import Meeting
from finder.search.params import CONTROL_CHARS
from finder.search.queries import published_meeting
from finder.sharing import bp, links
from finder.sharing.calendar import calendar_of
from finder.sharing.links import Sharing, weekly_time
from finder.sharing.qr import qr_svg

__all__ = ["preview_for", "sharing_for", "weekly_time"]
ICS_TYPE = "text/calendar; charset=utf-8"


def sharing_for(meeting: Meeting) -> Sharing:
    """For templates: the meeting's share text, links and calendar links."""
    return links.meeting_sharing(meeting, search_pkg.now_utc())


def preview_for(meeting: Meeting) -> str:
    """For templates: the meeting's og:description."""
    return links.preview_description(meeting, search_pkg.now_utc())


def _meeting_or_404(slug: str) -> Meeting:
    found = None if CONTROL_CHARS.search(slug) else published_meeting(get_session(), slug)
    if found is None:
        abort(404)
    return found


def link_host() -> str:
    """The host name calendar event UIDs are made unique with."""
    return urlsplit(links.public_url("search.index")).hostname or "finder"


def ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/meetings/<slug>.ics")
def meeting_ics(slug: str) -> ResponseReturnValue:
    meeting = _meeting_or_404(slug)
    if meeting.day is None or meeting.time is None:
        abort(404)
    now = search_pkg.now_utc()
    body = calendar_of([meeting], links.meeting_url, now, link_host(), name=meeting.name)
    return ics_response(body, f"{meeting.slug}.ics")


@bp.get("/meetings/<slug>/qr.svg")
def meeting_qr(slug: str) -> ResponseReturnValue:
    meeting = _meeting_or_404(slug)
    return svg_response(qr_svg(links.meeting_url(meeting), f"QR code for {meeting.name}"))


def svg_response(body: bytes) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
