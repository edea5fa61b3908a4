"""View helpers: the logged-in account, admins only, a meeting the account may edit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.accounts.models import User
from finder.accounts.views import account, current_account
from finder.models import Meeting
from finder.organize.roles import is_admin, is_local, may_manage_group

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["account", "admin_required", "current_account", "editable_meeting"]


def admin_required(view: F) -> F:
    """Strangers log in first; accounts that are not admins get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_admin(account()):
            abort(403)
        return view(*args, **kwargs)

    return cast(F, login_required(wrapped))


def meeting_by_slug(session: Session, slug: str) -> Meeting | None:
    stmt = (
        select(Meeting)
        .where(Meeting.slug == slug)
        .options(
            joinedload(Meeting.location), joinedload(Meeting.source), joinedload(Meeting.group)
        )
    )
    return session.scalars(stmt).first()


def editable_meeting(session: Session, user: User, slug: str) -> Meeting:
    """404 for unknown and imported meetings (no edit form exists); 403 for others' groups."""
    meeting = meeting_by_slug(session, slug)
    if meeting is None or not is_local(meeting):
        abort(404)
    if not may_manage_group(session, user, meeting.group_id):
        abort(403)
    return meeting
