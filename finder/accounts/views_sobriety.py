"""Sobriety dates and milestones: private to the person, counted in their own time zone."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from finder.accounts import dates, meeting_log, sobriety
from finder.accounts.forms import (
    EARLIEST_DATE,
    ConfirmForm,
    DeleteDateForm,
    SobrietyChangeForm,
    SobrietyDateForm,
    TimezoneForm,
)
from finder.accounts.models import SobrietyDate, User
from finder.accounts.timezones import is_known_zone, zone_choices, zone_label
from finder.accounts.views import account, bp, safe_next
from finder.db import get_session
from finder.i18n import gettext as _


def _timezone_form(formdata: bool = False) -> TimezoneForm:
    """The zone picker, showing the saved zone (or, on its own POST, the one sent)."""
    user = account()
    form = TimezoneForm() if formdata else TimezoneForm(formdata=None, timezone=user.timezone)
    form.timezone.choices = zone_choices(form.timezone.data or user.timezone)
    return form


def _zone_context(user: User) -> dict[str, object]:
    """What every sobriety page says about the zone the days are counted in."""
    settled = user.timezone_chosen
    return {
        "zone_settled": settled,
        "date_min": EARLIEST_DATE,
        "zone_name": zone_label(user.timezone),
        # Until the zone is settled the device's zone is used, and its today may be ahead of ours.
        "date_max": sobriety.today_in(user.timezone) if settled else sobriety.latest_today(),
    }


def _page(add_form: SobrietyDateForm, status: int = 200) -> tuple[str, int]:
    user = account()
    today = sobriety.today_in(user.timezone)
    records = dates.list_dates(get_session(), user)
    rows = [(r, sobriety.progress(r.date, today)) for r in records]
    html = render_template(
        "accounts/sobriety.html",
        rows=rows,
        log=meeting_log.summary(get_session(), user, today),
        form=add_form,
        tz_form=_timezone_form(),
        user=user,
        **_zone_context(user),
    )
    return html, status


def _counting_zone(form: SobrietyDateForm, user: User) -> str:
    """The account's zone, or the device's (sent by app.js) while none is chosen."""
    sent = (form.timezone.data or "").strip()
    if not user.timezone_chosen and is_known_zone(sent):
        return sent
    return user.timezone


def _settle_zone(user: User, zone: str) -> str:
    """Save the zone a date was counted in when the person had not chosen one; a note."""
    if user.timezone_chosen or zone == user.timezone:
        return ""
    dates.set_timezone(get_session(), user, zone)
    note = _(
        "Your days are counted in %(zone)s time; you can change that below.", zone=zone_label(zone)
    )
    return f" {note}"


def _valid_date(form: SobrietyDateForm, today: dt.date) -> dt.date | None:
    if form.validate_on_submit() and form.check_not_future(today):
        return form.date.data
    return None


@bp.get("/me/sobriety")
@login_required
def sobriety_page() -> tuple[str, int]:
    return _page(SobrietyDateForm(formdata=None))


@bp.post("/me/sobriety")
@login_required
def add_date() -> tuple[str, int] | BaseResponse:
    user = account()
    form = SobrietyDateForm()
    zone = _counting_zone(form, user)
    date = _valid_date(form, sobriety.today_in(zone))
    if date is None:
        return _page(form, 400)
    dates.add_date(get_session(), user, form.label.data or "", date)
    note = _settle_zone(user, zone)
    flash(_("Your date is saved. It is private to your account.") + note, "success")
    return redirect(url_for("accounts.sobriety_page"))


def _own_date(record_id: int) -> SobrietyDate:
    record = dates.get_date(get_session(), account(), record_id)
    if record is None:
        abort(404)
    return record


def _change_page(
    record: SobrietyDate, form: SobrietyChangeForm, delete_form: DeleteDateForm
) -> str:
    return render_template(
        "accounts/sobriety_change.html",
        form=form,
        record=record,
        confirm=ConfirmForm(),
        delete_form=delete_form,
        **_zone_context(account()),
    )


@bp.route("/me/sobriety/<int:record_id>", methods=["GET", "POST"])
@login_required
def change_date(record_id: int) -> str | BaseResponse:
    user = account()
    record = _own_date(record_id)
    form = SobrietyChangeForm(obj=record if request.method == "GET" else None)
    zone = _counting_zone(form, user)
    today = sobriety.today_in(zone)
    date = _valid_date(form, today)
    if date is None:
        return _change_page(record, form, DeleteDateForm(formdata=None))
    keep = bool(form.keep_earlier.data)
    dates.change_date(get_session(), record, form.label.data or "", date, keep, today)
    note = _settle_zone(user, zone)
    flash(_("Your date is updated. We're glad you're here.") + note, "success")
    return redirect(url_for("accounts.sobriety_page"))


@bp.post("/me/sobriety/<int:record_id>/delete")
@login_required
def delete_date(record_id: int) -> tuple[str, int] | BaseResponse:
    record = _own_date(record_id)
    delete_form = DeleteDateForm()
    if not delete_form.validate_on_submit():
        form = SobrietyChangeForm(formdata=None, obj=record)
        return _change_page(record, form, delete_form), 400
    dates.delete_date(get_session(), record)
    flash(_("That date and its private history are deleted."), "success")
    return redirect(url_for("accounts.sobriety_page"))


@bp.post("/me/sobriety/history/<int:history_id>/delete")
@login_required
def delete_history(history_id: int) -> BaseResponse:
    if not dates.delete_history(get_session(), account(), history_id):
        abort(404)
    flash(_("That earlier date is deleted."), "success")
    return redirect(safe_next(url_for("accounts.sobriety_page")))


@bp.post("/me/timezone")
@login_required
def set_timezone() -> BaseResponse:
    form = _timezone_form(formdata=True)
    if form.validate_on_submit() and form.timezone.data:
        dates.set_timezone(get_session(), account(), form.timezone.data)
        zone = zone_label(form.timezone.data)
        flash(_("Your time zone is saved: %(zone)s.", zone=zone), "success")
    else:
        flash(_("Please pick a time zone from the list."), "error")
    return redirect(safe_next(url_for("accounts.sobriety_page")))
