"""What a shared meeting says and where its links go: page URL, share text, sms, mail, calendars.

Every shared URL is the page's own address and nothing else: no search place, no account, no
tracking parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from flask import current_app, url_for

from finder.i18n import clock, fellowship_name
from finder.i18n import gettext as _
from finder.models import Meeting
from finder.schedule import current_or_next, wall_times, weekly_zone
from finder.search.present import (
    address_lines,
    dials_codes,
    has_words,
    phone_number,
    safe_web_url,
)

RRULE_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute URL on PUBLIC_BASE_URL when configured, else on the request's host."""
    base = str(current_app.config.get("SERVER_NAME_FOR_LINKS") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def webcal(url: str) -> str:
    """The same address for calendar apps that subscribe (webcal://)."""
    return "webcal://" + url.split("://", 1)[1]


def meeting_url(meeting: Meeting) -> str:
    return public_url("search.meeting", slug=meeting.slug)


def weekly_time(meeting: Meeting) -> str:
    """ "Tuesdays 7:00 pm", as people write it; "" without a regular time."""
    if meeting.day is None or meeting.time is None:
        return ""
    return str(_("%(days)s %(time)s", days=weekly_days(meeting.day), time=clock(meeting.time)))


def weekly_days(day: int) -> str:
    """ "Tuesdays", "los martes": every week on that day (0 = Sunday)."""
    names = (
        _("Sundays"),
        _("Mondays"),
        _("Tuesdays"),
        _("Wednesdays"),
        _("Thursdays"),
        _("Fridays"),
        _("Saturdays"),
    )
    return str(names[day])


def is_online_only(meeting: Meeting) -> bool:
    return meeting.attendance == "online"


def place_address(meeting: Meeting) -> str:
    """The place's name and address alone, as a calendar's location: what maps look up."""
    location = meeting.location
    parts = [location.name] if location.name else []
    parts += address_lines(location)
    return ", ".join(p for p in parts if p)


def place_words(meeting: Meeting) -> str:
    """Where, in a few words: the place's name and address, "online", or both for hybrid."""
    if is_online_only(meeting):
        return str(_("online"))
    where = place_address(meeting)
    if meeting.attendance == "hybrid":
        return str(_("%(place)s or online", place=where) if where else _("online"))
    return where


def zone_abbreviation(meeting: Meeting, now: dt.datetime) -> str:
    """The zone after a weekly time: "ET", not "EST" that summer's meetings would contradict."""
    if meeting.day is None or meeting.time is None:
        return ""
    occurrence = current_or_next(
        meeting.day, meeting.time, meeting.end_time, meeting.location.timezone, now
    )
    return weekly_zone(occurrence.start)


def share_text(meeting: Meeting, now: dt.datetime) -> str:
    """ "Step by Step, Tuesdays 7:00 pm at Grace Church, 12 Main St, Springfield" (no link)."""
    when = weekly_time(meeting)
    if when and is_online_only(meeting):
        when = f"{when} {zone_abbreviation(meeting, now)}".rstrip()
    where = place_words(meeting)
    text = f"{meeting.name}, {when}" if when else meeting.name
    if is_online_only(meeting):
        return str(_("%(text)s online", text=text))
    return str(_("%(text)s at %(place)s", text=text, place=where)) if where else text


def sms_link(text: str, url: str) -> str:
    """A text message with the words and the link; `sms:?&body=` works on iOS and Android."""
    return "sms:?&body=" + quote(f"{text}\n{url}", safe="")


def mail_link(subject: str, text: str, url: str) -> str:
    return "mailto:?" + urlencode(
        {"subject": subject, "body": f"{text}\n\n{url}\n"}, quote_via=quote
    )


def town(meeting: Meeting) -> str:
    location = meeting.location
    return ", ".join(p for p in (location.city, location.state) if p)


def preview_description(meeting: Meeting, now: dt.datetime) -> str:
    """og:description: fellowship, day and time with zone, in person or online, the town."""
    when = weekly_time(meeting)
    if when:
        when = f"{when} {zone_abbreviation(meeting, now)}".rstrip()
    attendance = {
        "in_person": _("In person"),
        "hybrid": _("In person and online"),
        "online": _("Online"),
        "inactive": _("Temporarily inactive"),
    }.get(meeting.attendance, "")
    kind = _("%(fellowship)s meeting", fellowship=fellowship_name(meeting.fellowship.code))
    parts = [kind, when, attendance, town(meeting)]
    return " · ".join(p for p in parts if p)


def google_calendar_link(meeting: Meeting, now: dt.datetime, page: str) -> str | None:
    """ "Add to Google Calendar": a weekly event at the meeting's own wall-clock time."""
    if meeting.day is None or meeting.time is None:
        return None
    occurrence = current_or_next(
        meeting.day, meeting.time, meeting.end_time, meeting.location.timezone, now
    )
    start, end = wall_times(occurrence, meeting.time, meeting.end_time)
    stamp = "%Y%m%dT%H%M%S"
    join = safe_web_url(meeting.conference_url)
    details = describe(meeting, join, page)
    # A hybrid meeting's "or online" is in the details (its join link), not in the place.
    location = (join or "") if is_online_only(meeting) else place_address(meeting)
    args = {
        "action": "TEMPLATE",
        "text": meeting.name,
        "dates": f"{start:{stamp}}/{end:{stamp}}",
        "ctz": meeting.location.timezone,
        "recur": f"RRULE:FREQ=WEEKLY;BYDAY={RRULE_DAYS[meeting.day]}",
        "details": details,
        "location": location,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(args, quote_via=quote)


def describe(meeting: Meeting, join: str | None, page_url: str) -> str:
    """A calendar event's words: the fellowship, how to join (with the notes the page gives)
    or call in, and the page's address."""
    lines = [fellowship_name(meeting.fellowship.code)]
    if join:
        lines.append(_("Join online: %(url)s", url=join))
        # The meeting ID and passcode a calendar user needs at the door, as on the page.
        lines += [meeting.conference_url_notes] if has_words(meeting.conference_url_notes) else []
    if meeting.conference_phone:
        lines.append(_("Call in: %(phone)s", phone=phone_number(meeting.conference_phone)))
        if dials_codes(meeting.conference_phone):
            lines.append(_("With the access codes: %(phone)s", phone=meeting.conference_phone))
        notes = meeting.conference_phone_notes
        lines += [notes] if has_words(notes) else []
    lines.append(_("Details and changes: %(url)s", url=page_url))
    return "\n".join(lines)


@dataclass(frozen=True)
class Sharing:
    """Everything the share and calendar block of a meeting page needs."""

    url: str
    text: str
    sms: str
    mail: str
    ics: str
    google: str | None
    qr: str
    join: str | None


def meeting_sharing(meeting: Meeting, now: dt.datetime) -> Sharing:
    url = meeting_url(meeting)
    text = share_text(meeting, now)
    return Sharing(
        url=url,
        text=text,
        sms=sms_link(text, url),
        mail=mail_link(meeting.name, text, url),
        ics=url_for("sharing.meeting_ics", slug=meeting.slug),
        google=google_calendar_link(meeting, now, url),
        qr=url_for("sharing.meeting_qr", slug=meeting.slug),
        join=safe_web_url(meeting.conference_url),
    )
