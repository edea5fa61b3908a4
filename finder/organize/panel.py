"""The organize part of a meeting page: freshness, suggest a change, was it on, edit, moderation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import has_request_context

from finder.db import get_session
from finder.models import Meeting, utcnow
from finder.organize import freshness, moderation
from finder.organize.access import current_account
from finder.organize.forms import ActionForm, ReasonForm
from finder.organize.models import MeetingUpkeep
from finder.organize.roles import is_admin, is_local, may_edit
from finder.search.present import safe_web_url


@dataclass
class Panel:
    local: bool
    confirmed_days: int | None
    can_edit: bool
    admin: bool
    state: str
    unpublished_reason: str
    answered: bool
    fix_at: str | None  # an imported meeting's source page
    action: Any
    reason_form: Any


def meeting_panel(meeting: Meeting) -> Panel | None:
    if not has_request_context():
        return None
    from finder.organize.views_public import went_cookie

    session, user, now = get_session(), current_account(), utcnow()
    local = is_local(meeting)
    upkeep = session.get(MeetingUpkeep, meeting.id) if local else None
    state = ""
    if local:
        state = moderation.meeting_state(
            moderation.review_of(session, meeting.group_id), upkeep, meeting
        )
    source_page = meeting.source_url or (meeting.source.url if meeting.source else "") or ""
    return Panel(
        local=local,
        confirmed_days=moderation.days_since(upkeep.confirmed_at if upkeep else None, now),
        can_edit=may_edit(session, user, meeting),
        admin=is_admin(user),
        state=state,
        unpublished_reason=upkeep.unpublished_reason if upkeep else "",
        answered=freshness.answered_recently(went_cookie(), meeting.id, now),
        fix_at=None if local else safe_web_url(source_page),
        action=ActionForm(),
        reason_form=ReasonForm(),
    )
