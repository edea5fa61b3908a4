"""Account forms (Flask-WTF, so every one carries a CSRF token)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from finder.accounts import passwords
from finder.accounts.store import USERNAME_PATTERN
from finder.accounts.timezones import is_known_zone
from finder.i18n import gettext as _
from finder.i18n import lazy_gettext as _l
from finder.textclean import has_control

# AA, the first of these fellowships, began in 1935: no one's count starts earlier.
EARLIEST_DATE = dt.date(1935, 1, 1)


def _new_password_check(form: Any, field: Any) -> None:
    username = getattr(form, "account_username", "") or getattr(
        getattr(form, "username", None), "data", ""
    )
    problem = passwords.password_problem(field.data or "", str(username or ""))
    if problem:
        raise ValidationError(problem)


def _username_check(_form: Any, field: Any) -> None:
    if not USERNAME_PATTERN.match((field.data or "").strip()):
        raise ValidationError(
            _l(
                "Use 3 to 40 letters a–z (without accents), digits, dots, dashes or "
                "underscores, starting with a letter or digit."
            )
        )


def _plain_text(_form: Any, field: Any) -> None:
    """One line of ordinary text: no control or text-direction characters."""
    if has_control(str(field.data or "")):
        raise ValidationError(_("Please use only letters, digits, spaces and punctuation."))


def _zone_check(_form: Any, field: Any) -> None:
    if not is_known_zone(field.data or ""):
        raise ValidationError(_l("Pick your time zone from the list."))


class RegisterForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(_l("Choose a username.")), _username_check]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Choose a password.")), _new_password_check]
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )
    # Choices are set by the view: the common zones plus the one suggested or sent.
    timezone = SelectField(_l("Your time zone"), validate_choice=False, validators=[_zone_check])


# Every free-text field has a ceiling: a megabyte in a form is never a person typing.
TOO_LONG = _l("That is too long.")
PASSWORD_CAP = Length(
    max=passwords.MAX_LENGTH,
    message=_l("Use at most %(n)s characters.", n=passwords.MAX_LENGTH),
)


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(_l("Enter your username.")), Length(max=100, message=TOO_LONG)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=passwords.MAX_LENGTH)],
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), PASSWORD_CAP],
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a new password.")), _new_password_check],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password to confirm.")), PASSWORD_CAP],
    )


def _date_check(_form: Any, field: Any) -> None:
    if field.data is None:
        return
    if field.data < EARLIEST_DATE:
        raise ValidationError(
            _l(
                "Please check the year: that date is very long ago. We accept dates from "
                "%(year)s on, when AA, the first of these fellowships, began.",
                year=EARLIEST_DATE.year,
            )
        )


DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PlainDateField(DateField):
    """A YYYY-MM-DD date whose empty and malformed inputs each get one clear message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        values = [str(v).strip() for v in valuelist or []]
        if not values or not values[0]:
            self.data = None
            return
        try:
            super().process_formdata(values)
        except ValueError:
            if DATE_SHAPE.fullmatch(values[0]):  # written right, but no such day: 2025-02-30
                raise ValueError(_("There is no such date: check the day and the month.")) from None
            raise


class SobrietyDateForm(FlaskForm):
    label = StringField(
        _l("What it's for (optional)"),
        validators=[
            Optional(),
            Length(max=60, message=_l("Keep it to 60 characters at most.")),
            _plain_text,
        ],
    )
    date = PlainDateField(
        _l("Date"),
        format="%Y-%m-%d",
        invalid_value_message=_l("Enter the date as YYYY-MM-DD, e.g. 2024-03-15."),
        validators=[InputRequired(_l("Enter a date: the first day of your count.")), _date_check],
    )
    # The device's zone, filled in by app.js; it settles the account's zone
    # when the person has not chosen one yet, so the first count is already right.
    timezone = HiddenField()

    def check_not_future(self, today: dt.date) -> bool:
        """The date may be today but not later (in the person's own time zone)."""
        if self.date.data is not None and self.date.data > today:
            message = _("That date is still to come. Pick today or earlier.")
            self.date.errors = [*self.date.errors, message]
            return False
        return True


class SobrietyChangeForm(SobrietyDateForm):
    keep_earlier = BooleanField(_l("Keep my earlier date in my private history"))


class TimezoneForm(FlaskForm):
    timezone = SelectField(_l("Your time zone"), validate_choice=False, validators=[_zone_check])


class DeleteDateForm(FlaskForm):
    """Deleting a date cannot be undone, so the box must be ticked (works without JS)."""

    confirm = BooleanField(
        _l("Yes, delete this date and its history"),
        validators=[DataRequired(_l("Tick the box to confirm. Nothing was deleted."))],
    )


class ConfirmForm(FlaskForm):
    """A form with only its CSRF token: for buttons that change something."""
