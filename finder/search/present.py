"""How meetings read on the pages: relative days, "starts in", addresses, links, types in words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from babel.dates import get_timezone, get_timezone_name
from flask_babel import LazyString
from markupsafe import Markup, escape

from finder.catalog import EXTRA_TYPES, feed_type_codes, type_name
from finder.feeds.bmlt import BUSES, TRAINS
from finder.i18n import clock, day_name, gettext, lazy_gettext
from finder.models import Location, Meeting
from finder.nearby import Result
from finder.places import names_street
from finder.schedule import (
    NIGHT_ENDS,
    Occurrence,
    sunday_weekday,
    tz_abbreviation,
    zone,
)
from finder.wrapped_links import join_link

# Short explanations of the types people most often need to understand.
TYPE_HELP = {
    "O": lazy_gettext("Anyone may attend, including family, friends and anyone curious."),
    "C": lazy_gettext("For people who have a desire to stop drinking or using."),
    "BE": lazy_gettext("Focused on people who are new to recovery."),
    "D": lazy_gettext("Members share in turn on a topic."),
    "SP": lazy_gettext("One or more members tell their story."),
    "ST": lazy_gettext("Works through the Twelve Steps."),
    "B": lazy_gettext("Reads and discusses the Big Book."),
    "W": lazy_gettext("For women."),
    "M": lazy_gettext("For men."),
    "Y": lazy_gettext("For young people."),
    "LGBTQ": lazy_gettext("Welcoming LGBTQ people in particular."),
    "ASL": lazy_gettext("Interpreted in American Sign Language."),
    "X": lazy_gettext("The meeting space is wheelchair accessible."),
    "MED": lazy_gettext("Includes a time of meditation."),
    "S": lazy_gettext("Held in Spanish."),
    "TC": lazy_gettext("The location is temporarily closed; check for an online option."),
    "ONL": lazy_gettext("Held online."),
}


def _(text: str, **values: object) -> str:
    """gettext, typed: this module's words in the page's language."""
    return str(gettext(text, **values))


SLASH_IN_WORD = re.compile(r"(?<=\w)/(?=\w)")
TEL_CHARS = re.compile(r"[^0-9+*#,;]")
PHONE_CHARS = re.compile(r"\+?[0-9 ().-]+")


@dataclass(frozen=True)
class When:
    """An occurrence as people read it: "Tomorrow", "7:00 pm", "starts in 25 min"."""

    day_label: str
    start: str
    end: str
    tz_abbr: str
    status: str
    in_progress: bool
    weekday: str = ""  # the start's weekday, for a saved copy read on another day


def transit_words(notes: str) -> str:
    """A place's notes with the words finder put before BMLT's transit lines ("Trains:",
    "Buses:") in the page's language; everything else as the source wrote it."""
    labels = {TRAINS: _("Trains:"), BUSES: _("Buses:")}
    lines = notes.split("\n")
    for i, line in enumerate(lines):
        for english, shown in labels.items():
            if line.startswith(english + " ") and shown != english:
                lines[i] = shown + line[len(english) :]
    return "\n".join(lines)


def starts_in(minutes: int) -> str:
    if minutes <= 0:
        return _("starting now")
    if minutes < 60:
        return _("starts in %(minutes)s min", minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if hours >= 24:
        return ""
    if rest:
        return _("starts in %(hours)s h %(minutes)s min", hours=hours, minutes=rest)
    return _("starts in %(hours)s h", hours=hours)


def relative_day(start: dt.datetime, now: dt.datetime) -> str:
    """Today, Tomorrow, a weekday, "Next Monday" a week ahead, or "Tonight" before midnight."""
    local_now = now.astimezone(start.tzinfo)
    days = (start.date() - local_now.date()).days
    weekday = day_name(sunday_weekday(start.date()))
    if days == 0:
        return _("Today")
    if start.time() == dt.time(0):
        # 00:00 Tuesday is the midnight that ends Monday night, as people say it.
        night = day_name(sunday_weekday(start.date() - dt.timedelta(days=1)))
        return _("Tonight") if days == 1 else _("%(day)s night", day=night)
    if days == 1:
        return _("Tomorrow")
    # At 1 am on Sunday, "Saturday" reads as the night now ending, not six days ahead.
    if days >= 7 or (days == 6 and local_now.time() < NIGHT_ENDS):
        return _("Next %(day)s", day=weekday)
    return weekday


def clock_words(moment: dt.datetime) -> str:
    """ "noon" and "midnight" in words (12:00 am is often misread), other times as 7:00 pm."""
    if moment.time() == dt.time(0):
        return _("midnight")
    if moment.time() == dt.time(12):
        return _("noon")
    return clock(moment)


def describe_when(occurrence: Occurrence | None, now: dt.datetime) -> When | None:
    if occurrence is None:
        return None
    status = (
        _("in progress") if occurrence.in_progress else starts_in(occurrence.minutes_until(now))
    )
    return When(
        day_label=relative_day(occurrence.start, now),
        start=clock_words(occurrence.start),
        end=clock_words(occurrence.end),
        tz_abbr=tz_abbreviation(occurrence.start),
        status=status,
        in_progress=occurrence.in_progress,
        weekday=day_name(sunday_weekday(occurrence.start.date())),
    )


@dataclass(frozen=True)
class Card:
    """One search result ready for the card macro.

    own_start: the start on the meeting's own clock, when `when` is on the viewer's
    clock and that differs; own_day_differs: it falls on another day there.
    """

    meeting: Meeting
    when: When | None
    distance_km: float | None
    attendance: str
    demo: bool = False
    own_start: dt.datetime | None = None
    own_day_differs: bool = False


def is_demo(meeting: Meeting | None) -> bool:
    """Whether the meeting is generated demo data, not a real meeting."""
    return meeting is not None and meeting.source is not None and meeting.source.is_demo


DEMO_RESULTS = lazy_gettext(
    "Meetings marked “Demo listing” are generated examples, not real meetings. "
    "Do not travel to them."
)


def demo_footnote(meetings: Iterable[Meeting | None]) -> LazyString | None:
    """The page's footnote when any meeting on it is a demo listing."""
    return DEMO_RESULTS if any(is_demo(m) for m in meetings) else None


def cards(results: list[Result], now: dt.datetime, with_distance: bool = True) -> list[Card]:
    # Meetings often share a start ("Today at 7:00 pm"): each is put in words once. An
    # instant with its zone is one wall-clock time; the end shares the zone.
    said: dict[tuple[Any, ...], When | None] = {}

    def when(occurrence: Occurrence | None) -> When | None:
        if occurrence is None:
            return None
        key = (occurrence.start, occurrence.start.tzinfo, occurrence.end, occurrence.in_progress)
        if key not in said:
            said[key] = describe_when(occurrence, now)
        return said[key]

    return [
        Card(
            r.meeting,
            when(r.occurrence),
            r.distance_km if with_distance else None,
            r.attendance,
            is_demo(r.meeting),
        )
        for r in results
    ]


def on_clock(occurrence: Occurrence, tz: ZoneInfo) -> Occurrence:
    """The same occurrence read on another clock."""
    start, end = occurrence.start.astimezone(tz), occurrence.end.astimezone(tz)
    return Occurrence(start, end, occurrence.in_progress)


def clocks_differ(own: Occurrence, mine: Occurrence) -> bool:
    """Whether the same occurrence reads differently on the two clocks (offset or name)."""
    return (own.start.utcoffset(), own.start.tzname()) != (
        mine.start.utcoffset(),
        mine.start.tzname(),
    )


def on_viewers_clock(
    occurrence: Occurrence | None, now: dt.datetime, viewer_tz: str | None
) -> When | None:
    """The occurrence in words on the viewer's clock, when that reads differently."""
    if occurrence is None or not viewer_tz:
        return None
    mine = on_clock(occurrence, zone(viewer_tz))
    return describe_when(mine, now) if clocks_differ(occurrence, mine) else None


def viewer_card(result: Result, now: dt.datetime, tz: ZoneInfo) -> Card:
    own = result.occurrence
    mine = on_clock(own, tz) if own else None
    differs = own is not None and mine is not None and clocks_differ(own, mine)
    return Card(
        result.meeting,
        describe_when(mine, now),
        None,
        result.attendance,
        is_demo(result.meeting),
        own_start=own.start if own and differs else None,
        own_day_differs=bool(own and mine and own.start.date() != mine.start.date()),
    )


def viewer_cards(results: list[Result], now: dt.datetime, viewer_tz: str) -> list[Card]:
    """Online meetings on the viewer's clock ("Today at 7:00 pm EST"), their own in small."""
    tz = zone(viewer_tz)
    return [viewer_card(r, now, tz) for r in results]


def area_label(location: Location) -> str:
    """The area a place is in, in words: its city and state, else an address naming no street."""
    area = ", ".join(p for p in (location.city, location.state) if p)
    if area:
        return area
    text = location.formatted_address
    return text if text and not names_street(text) else ""


def address_lines(location: Location) -> list[str]:
    """The address to show; for an approximate point only the area, never a false street."""
    if location.approximate:
        area = area_label(location)
        return [_("%(area)s (approximate area)", area=area)] if area else []
    if location.formatted_address:
        return [location.formatted_address]
    line2 = " ".join(p for p in (location.city, location.state, location.postal_code) if p)
    return [p for p in (location.address, line2) if p]


def card_address_lines(location: Location, attendance: str) -> list[str]:
    """The address a card shows. An online-only meeting at a room does not meet there (the
    location is temporarily closed): only its town is shown, as on its page, never the street."""
    if attendance == "online" and not location.approximate:
        area = area_label(location)
        return [area] if area else []
    return address_lines(location)


def type_names(codes: list[str]) -> list[str]:
    return [type_name(code) for code in codes or []]


def explained_types(codes: list[str], lang: str = "en") -> list[tuple[str, str]]:
    """(name, explanation) for each of a meeting's type codes; explanation may be empty."""
    return [
        (type_name(code, lang), str(TYPE_HELP.get(code, "")))
        for code in codes or []
        if is_code(code)
    ]


def other_formats(codes: list[str]) -> list[str]:
    """What a source listed that is no Meeting Guide code (BMLT format names), in its words."""
    return [code for code in codes or [] if not is_code(code)]


def is_code(code: str) -> bool:
    return code in feed_type_codes() or code in EXTRA_TYPES


def safe_web_url(url: str) -> str | None:
    """The URL if it is plain http(s) with a host; None for javascript:, data: and the like.
    A link wrapped by a mail program's click checker is the link inside it, and a checker's
    address with none inside is None, as is a meeting service's bare home page
    (finder.wrapped_links)."""
    url = join_link((url or "").strip()) or ""
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.netloc else None


def tel_link(phone: str) -> str | None:
    """A one-tap tel: URI keeping pauses (,) and extensions; None when there are no digits."""
    dialable = TEL_CHARS.sub("", phone or "")
    if not any(ch.isdigit() for ch in dialable):
        return None
    return "tel:" + dialable.replace("#", "%23")


def phone_number(phone: str) -> str:
    """The number to show, before any pause (,) or codes; North American numbers grouped."""
    number = " ".join(re.split(r"[,;]", phone or "", maxsplit=1)[0].split())
    digits = re.sub(r"\D", "", number)
    if not PHONE_CHARS.fullmatch(number):
        return number  # words or letters: as written
    if number.startswith("+"):
        if len(digits) == 11 and digits[0] == "1":
            return f"+1 {digits[1:4]}-{digits[4:7]}-{digits[7:]}"
        return number
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
        return f"1 ({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    if len(digits) == 10:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number


def dials_codes(phone: str) -> bool:
    """Whether the one-tap link dials more than the number shown (pauses, access codes)."""
    parts = re.split(r"[,;]", phone or "", maxsplit=1)
    return len(parts) > 1 and any(ch.isdigit() for ch in parts[1])


@dataclass(frozen=True)
class DialIn:
    """A dial-in as paper shows it: the number, and the codes to key in once connected."""

    number: str
    codes: tuple[str, ...] = ()
    dialable: bool = True  # digits to dial: the number is kept on one line


def dial_in(phone: str) -> DialIn:
    """The number, then the codes its one-tap link dials after the pauses:
    "+12125550100,,67304837151#" is "+1 212-555-0100", then "67304837151#". A number with
    no digits is shown as written."""
    if tel_link(phone) is None:
        return DialIn(" ".join((phone or "").split()), dialable=False)
    if not dials_codes(phone):
        return DialIn(phone_number(phone))
    codes = (TEL_CHARS.sub("", part) for part in re.split(r"[,;]", phone)[1:])
    return DialIn(phone_number(phone), tuple(code for code in codes if code))


def has_words(text: str | None) -> bool:
    """Whether text says anything: a lone "," or "-" from a feed is not a note."""
    return any(ch.isalnum() for ch in text or "")


def directions(meeting: Meeting, attendance: str) -> dict[str, str] | None:
    """Map links for a room people go to; none for areas, online-only meetings or a meeting
    that is not meeting now (a temporarily closed room with no way to join), as in tsml-ui.

    A room whose point is only its city's or ZIP code's is found by its address text.
    """
    location = meeting.location
    address = location.formatted_address or ", ".join(
        p for p in (location.address, location.city, location.state, location.postal_code) if p
    )
    if location.kind != "room" or attendance in ("online", "inactive") or not address:
        return None
    if not location.exact_point:
        text = quote(address, safe="")
        return {
            "google": f"https://www.google.com/maps/dir/?api=1&destination={text}",
            "apple": f"https://maps.apple.com/?daddr={text}",
            "geo": f"geo:0,0?q={text}",
        }
    point = f"{location.latitude:.6f},{location.longitude:.6f}"
    # A bare geo:lat,lng only centres Android's map; ?q= drops a pin, named in parentheses.
    label = quote(" ".join(re.sub(r"[()]", " ", location.name or address).split()), safe="")
    return {
        "google": f"https://www.google.com/maps/dir/?api=1&destination={point}",
        "apple": f"https://maps.apple.com/?daddr={point}",
        "geo": f"geo:{point}?q={point}({label})",
    }


def zone_label(tz_name: str, moment: dt.datetime | None, locale: str = "en") -> str:
    """ "Eastern Time (EDT)": the zone as people say it, and its abbreviation then."""
    words = zone_words(tz_name, locale)
    return f"{words} ({tz_abbreviation(moment)})" if moment else words


def zone_words(tz_name: str, locale: str = "en") -> str:
    """ "Eastern Time" (Babel's name for the zone), or "Europe/Kyiv" in words without one."""
    try:
        name = str(get_timezone_name(get_timezone(tz_name), locale=locale))
    except (LookupError, ValueError):
        name = ""
    return tz_name.replace("_", " ") if not name or name.startswith("Unknown") else name


def breakable(text: str) -> Markup:
    """Escaped text that may wrap after a slash: "Literature/Discussion", not "Literature/Di-"."""
    return Markup("/<wbr>").join(escape(part) for part in SLASH_IN_WORD.split(text or ""))
