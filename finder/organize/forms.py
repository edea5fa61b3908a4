"""The organizer's meeting form and the small public and admin forms (all with CSRF)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from finder.catalog import FELLOWSHIPS, type_choices
from finder.i18n import current_language, day_name
from finder.i18n import gettext as _
from finder.i18n import lazy_gettext as _l
from finder.schedule import DAY_NAMES, ends_long_past_midnight
from finder.textclean import has_control
from finder.wrapped_links import service_home_page, unwrap

HOST = re.compile(r"\w(?:[\w.-]*\w)?")  # letters of any script, digits, dots, dashes
HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_NOTES = 4000
# A dial-in number: the number (digits, spaces, + ( ) . -), then optionally pauses (, or ;)
# and what to dial after them (a meeting ID, #, *).
DIAL_IN = re.compile(r"\+?[0-9 ().-]+([,;][0-9,;#* ]*)?")
MIN_PHONE_DIGITS = 7
# Meeting Guide types grouped as an organizer thinks of them; the rest go under "More".
TYPE_GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_l("Who can come"), ("O", "C", "BE", "W", "M", "Y", "LGBTQ", "SEN", "POC")),
    (_l("What happens"), ("D", "SP", "ST", "B", "LIT", "MED", "12x12", "TR", "11")),
    (_l("Access"), ("X", "XB", "ASL", "BA", "CF", "FF")),
    (_l("Language"), ("EN", "S", "FR", "DE", "POR", "RUS")),
)


def parse_time(text: str) -> dt.time | None:
    match = HHMM.match((text or "").strip())
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def _time_check(_form: Any, field: Any) -> None:
    if field.data and parse_time(field.data) is None:
        raise ValidationError(_l("Enter a time like 19:30 (hours 00–23, minutes 00–59)."))


def _phone_check(_form: Any, field: Any) -> None:
    value = (field.data or "").strip()
    if not value:
        return
    number = re.split(r"[,;]", value, maxsplit=1)[0]
    if not DIAL_IN.fullmatch(value) or sum(ch.isdigit() for ch in number) < MIN_PHONE_DIGITS:
        raise ValidationError(
            _l(
                "Enter a phone number with its digits, like +1 646 558 8656 "
                "(to dial straight in, add a comma and the meeting ID: ,,81234567890#)."
            )
        )


class PlainTextForm(FlaskForm):
    """A form whose text fields refuse characters nobody types: controls and the
    text-direction overrides that make a line read backwards (a name shown to a reviewer,
    then to everyone, must read as it will be shown)."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for field in self:
            if isinstance(field, StringField) and isinstance(field.data, str):
                multiline = isinstance(field, TextAreaField)
                if has_control(field.data, multiline=multiline):
                    field.errors = [*field.errors, _(
                        "This has characters that don't show, such as text-direction marks. "
                        "Type it again rather than pasting it."
                    )]  # fmt: skip
                    valid = False
        return valid


def _https_check(_form: Any, field: Any) -> None:
    value = (field.data or "").strip()
    if value and unwrap(value) is None:
        raise ValidationError(
            _l(
                "This is an email program's safety-check address with no meeting link "
                "inside. Copy the link from the meeting's invitation itself."
            )
        )
    problem = _link_problem(value) if value else None
    if problem is not None:
        raise ValidationError(problem)
    service = service_home_page(value)
    if service:
        raise ValidationError(
            _l(
                "This is %(service)s's home page, not your meeting's link. Copy the link from "
                "the meeting's invitation: it has the meeting's number or name after the site.",
                service=service,
            )
        )


def _unwrapped(value: str | None) -> str | None:
    """A link pasted from an email as Outlook's Safe Links (or Google's, Facebook's)
    redirect is saved as the meeting's own link inside it (finder.wrapped_links)."""
    if not value:
        return value
    return unwrap(value.strip()) or value


def _link_problem(url: str) -> Any:
    """What keeps a phone from opening this link, said so the organizer can fix it (None when
    nothing does)."""
    if any(ch.isspace() for ch in url):
        return _l(
            "This link has a space in it, and links never do. Copy it again from the "
            "meeting's invitation; a meeting ID or passcode goes in the notes below."
        )
    lowered = url.lower()
    if lowered.startswith("http://"):
        return _l(
            "This link starts with http://, which is not secure. Use the meeting's link "
            "that starts with https:// (meeting services give one)."
        )
    if not lowered.startswith("https://"):
        return _l("Enter a link that starts with https:// (a secure link).")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return _l(
            "This link is incomplete or has a typo in it. Copy it again from the "
            "meeting's invitation."
        )
    host = parts.hostname or ""
    if not host.strip("."):
        return _l(
            "There is no site name after https://. A meeting link looks like "
            "https://zoom.us/j/81234567890."
        )
    # "https://localhost/x", "https://zoom/j/1": names no phone finds on the internet.
    if not HOST.fullmatch(host) or "." not in host.strip(".") or len(url) < 12:
        return _l(
            "“%(host)s” is not the name of a site on the internet. After https:// comes "
            "a site's name, like zoom.us or meet.google.com.",
            host=host,
        )
    return None


def _coordinate(low: float, high: float, message: Any) -> Any:
    def check(_form: Any, field: Any) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not low <= number <= high:
            raise ValidationError(message)

    return check


def type_options(lang: str = "en") -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in type_choices(lang)]


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class MeetingForm(PlainTextForm):
    name = StringField(
        _l("Meeting name"),
        validators=[DataRequired(_l("Enter the meeting's name.")), Length(max=255)],
    )
    group = StringField(
        _l("Group"),
        validators=[
            DataRequired(_l("Enter the group's name (new or one of yours).")),
            Length(max=255),
        ],
    )
    fellowship = SelectField(
        _l("Fellowship"),
        choices=[SelectChoice(code, _l(name)) for code, name in FELLOWSHIPS],
        default="aa",
    )
    day = CheckboxesField(
        _l("Day"),
        choices=[SelectChoice(str(i), name) for i, name in enumerate(DAY_NAMES)],
        validators=[DataRequired(_l("Pick at least one day."))],
    )
    time = StringField(
        _l("Start time"),
        validators=[DataRequired(_l("Enter the start time, like 19:30.")), _time_check],
        render_kw={"type": "time"},
    )
    end_time = StringField(
        _l("End time"), validators=[Optional(), _time_check], render_kw={"type": "time"}
    )
    types = CheckboxesField(_l("Types"), choices=type_options(), validate_choice=True)
    location = StringField(_l("Building or place name"), validators=[Length(max=255)])
    address = StringField(_l("Street address"), validators=[Length(max=255)])
    latitude = StringField(
        _l("Latitude"),
        validators=[
            _coordinate(
                -90, 90, _l("Enter a latitude between %(low)s and %(high)s.", low=-90, high=90)
            )
        ],
        render_kw={"inputmode": "decimal"},
    )
    longitude = StringField(
        _l("Longitude"),
        validators=[
            _coordinate(
                -180, 180, _l("Enter a longitude between %(low)s and %(high)s.", low=-180, high=180)
            )
        ],
        render_kw={"inputmode": "decimal"},
    )
    # The address the point above came from, so a changed address is looked up again.
    checked_address = HiddenField()
    # The group name the organizer was warned takes the meeting off the listings: saved
    # on the next tap unless the name changes again.
    confirmed_group = HiddenField()
    conference_url = StringField(
        _l("Online meeting link"),
        filters=[_unwrapped],
        validators=[Length(max=2000), _https_check],
        render_kw={"type": "url", "inputmode": "url"},
    )
    conference_url_notes = TextAreaField(
        _l("Notes for the link (meeting ID, passcode)"), validators=[Length(max=MAX_NOTES)]
    )
    conference_phone = StringField(
        _l("Dial-in phone number"),
        validators=[Length(max=100), _phone_check],
        render_kw={"type": "tel"},
    )
    conference_phone_notes = TextAreaField(
        _l("Notes for the phone number"), validators=[Length(max=MAX_NOTES)]
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[
            Length(
                max=MAX_NOTES, message=_l("Notes can be at most %(max)d characters.", max=MAX_NOTES)
            )
        ],
    )
    temporarily_closed = BooleanField(_l("Temporarily closed (the place is not meeting for now)"))
    # Shown when editing a meeting listed on other days too (its label names them).
    same_change = BooleanField(_l("Make the same change on its other days"))

    def validate_end_time(self, field: Any) -> None:
        start, end = parse_time(self.time.data or ""), parse_time(field.data or "")
        if start is None or end is None:
            return
        if end == start:
            raise ValidationError(_l("The end time is the same as the start time."))
        if ends_long_past_midnight(start, end):
            raise ValidationError(
                _l(
                    "The meeting would end before it starts. Check the times "
                    "(a meeting past midnight may end at 00:30, for example)."
                )
            )

    def validate_latitude(self, field: Any) -> None:
        if bool((field.data or "").strip()) != bool((self.longitude.data or "").strip()):
            raise ValidationError(_l("Enter both latitude and longitude, or neither."))

    def validate_address(self, field: Any) -> None:
        has_point = (self.latitude.data or "").strip() and (self.longitude.data or "").strip()
        if not (field.data or "").strip() and not has_point:
            raise ValidationError(
                _l(
                    "Enter the street address (or, below, the point's latitude and longitude). "
                    "For a meeting only online, enter its city."
                )
            )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Day and type names in the person's language (the class-level choices are English).
        self.day.choices = [SelectChoice(str(i), day_name(i)) for i in range(len(DAY_NAMES))]
        self.types.choices = type_options(current_language())

    def type_groups(self) -> list[tuple[str, list[Any]]]:
        """The types' checkboxes in groups, "More" last."""
        options = {option.data: option for option in self.types}
        groups: list[tuple[str, list[Any]]] = []
        used: set[str] = set()
        for title, codes in TYPE_GROUPS:
            groups.append((str(title), [options[c] for c in codes if c in options]))
            used.update(codes)
        groups.append((_("More"), [o for code, o in options.items() if code not in used]))
        return groups


class SuggestForm(PlainTextForm):
    kind = RadioField(
        _l("What is wrong?"),
        choices=[
            SelectChoice("time", _l("The day or time")),
            SelectChoice("place", _l("The place or address")),
            SelectChoice("online", _l("The online link or phone")),
            SelectChoice("closed", _l("It no longer meets")),
            SelectChoice("other", _l("Something else")),
        ],
        validators=[DataRequired(_l("Pick what is wrong."))],
    )
    message = TextAreaField(
        _l("Tell the group what you saw"),
        validators=[DataRequired(_l("Write a few words about what is wrong.")), Length(max=2000)],
    )


class ReasonForm(PlainTextForm):
    reason = TextAreaField(_l("Reason (the organizers see it)"), validators=[Length(max=2000)])


class ActionForm(FlaskForm):
    """A button only: its CSRF token is the whole form."""


class InviteForm(PlainTextForm):
    username = StringField(
        _l("Username of the person you invite"), validators=[DataRequired(), Length(max=40)]
    )
