"""The audit log: every create, edit, approval, rejection, closure, confirmation, unpublishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from finder.accounts.models import User
from finder.catalog import type_name
from finder.i18n import current_language, day_name, lazy_gettext
from finder.models import Meeting
from finder.organize.models import AuditEntry
from finder.schedule import zone as schedule_zone

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


# What each recorded field is called on the page (the organizer form's own words).
FIELD_WORDS = {
    "name": lazy_gettext("Meeting name"),
    "day": lazy_gettext("Day"),
    "time": lazy_gettext("Start time"),
    "end_time": lazy_gettext("End time"),
    "types": lazy_gettext("Types"),
    "notes": lazy_gettext("Notes"),
    "conference_url": lazy_gettext("Online meeting link"),
    "conference_url_notes": lazy_gettext("Notes for the link (meeting ID, passcode)"),
    "conference_phone": lazy_gettext("Dial-in phone number"),
    "conference_phone_notes": lazy_gettext("Notes for the phone number"),
    "temporarily_closed": lazy_gettext("Temporarily closed (the place is not meeting for now)"),
    "published": lazy_gettext("Published"),
    "group": lazy_gettext("Group"),
    "location.name": lazy_gettext("Building or place name"),
    "location.address": lazy_gettext("Street address"),
    "location.formatted_address": lazy_gettext("Address found:"),
    "location.latitude": lazy_gettext("Latitude"),
    "location.longitude": lazy_gettext("Longitude"),
    "location.timezone": lazy_gettext("Time zone:"),
    "organizer": lazy_gettext("Organizer"),
}
NOTHING = "—"


def shown_value(field: str, value: Any) -> str:
    """A recorded value as a person reads it: a day's name, type names, yes or no."""
    if value is None or value == "" or value == []:
        return NOTHING
    if field == "day" and isinstance(value, int):
        return day_name(value)
    if field == "types" and isinstance(value, list):
        return ", ".join(type_name(str(code), current_language()) for code in value)
    if isinstance(value, bool):
        return str(lazy_gettext("Yes") if value else lazy_gettext("No"))
    return str(value)


def shown_changes(changes: dict[str, list[Any]]) -> list[tuple[str, str, str]]:
    """(field in words, before, after) for each recorded change, in the form's order."""
    order = list(FIELD_WORDS)
    ranked = sorted(changes, key=lambda f: (order.index(f) if f in order else len(order), f))
    return [
        (str(FIELD_WORDS.get(field, field)).rstrip(":"),
         shown_value(field, changes[field][0]), shown_value(field, changes[field][1]))
        for field in ranked
    ]  # fmt: skip


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
    values["fellowship"] = meeting.fellowship.code if meeting.fellowship else ""
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


def shown_at(at: dt.datetime, zone: str) -> str:
    """When an entry was made, on the reader's own clock ("2026-03-02 09:15 EST")."""
    try:
        tz = schedule_zone(zone)
    except ValueError:
        tz = schedule_zone("UTC")
    local = at.replace(tzinfo=dt.UTC).astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def actor_label(entry: AuditEntry) -> str:
    return entry.actor.username if entry.actor is not None else str(DELETED_ACCOUNT)
