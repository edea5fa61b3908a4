"""The audit log: every create, edit, approval, rejection, closure, confirmation, unpublishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.accounts.models import User
from finder.i18n import lazy_gettext
from finder.models import Meeting
from finder.organize.models import AuditEntry

DELETED_ACCOUNT = lazy_gettext("a deleted account")
AUDITED_FIELDS = (
    "name",
    "day",
    "time",
    "end_time",
    "types",
    "notes",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "temporarily_closed",
    "published",
)
AUDITED_PLACE = ("name", "address", "formatted_address", "latitude", "longitude", "timezone")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, list):
        return list(value)
    return value


def snapshot(meeting: Meeting) -> dict[str, Any]:
    """What a meeting says now, as JSON-ready values (place fields prefixed "location.")."""
    values = {name: _plain(getattr(meeting, name)) for name in AUDITED_FIELDS}
    for name in AUDITED_PLACE:
        values[f"location.{name}"] = _plain(getattr(meeting.location, name))
    values["group"] = meeting.group.name if meeting.group else ""
    return values


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """field: [before, after] for each field that changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    session: Session,
    actor: User | None,
    action: str,
    *,
    group_id: int | None,
    meeting: Meeting | None = None,
    subject: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Add one entry to the session (the caller commits it with the change itself)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        group_id=group_id,
        meeting_id=meeting.id if meeting else None,
        subject=subject or (meeting.name if meeting else ""),
        changes=changes or {},
        reason=reason,
    )
    session.add(entry)
    return entry


def entries(session: Session, group_ids: set[int] | None, limit: int = 200) -> list[AuditEntry]:
    """Newest first; all of them when group_ids is None (admins), else those groups' only."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if group_ids is not None:
        stmt = stmt.where(AuditEntry.group_id.in_(sorted(group_ids)))
    return list(session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit)))


def actor_label(entry: AuditEntry) -> str:
    return entry.actor.username if entry.actor is not None else str(DELETED_ACCOUNT)
