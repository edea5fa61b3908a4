"""Sobriety dates and milestones: private to the person, counted in their own time zone."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response as BaseResponse

from finder.accounts import dates, sobriety
from finder.accounts.forms import (
    ConfirmForm,
    SobrietyChangeForm,
    SobrietyDateForm,
    TimezoneForm,
)
from finder.accounts.models import DEFAULT_TIMEZONE, SobrietyDate
from finder.accounts.timezones import zone_choices
from finder.accounts.views import account, bp, safe_next
from finder.db import get_session


def _timezone_form() -> TimezoneForm:
    user = account()
    form = TimezoneForm(timezone=user.timezone)
    form.timezone.choices = zone_choices(request.form.get("timezone") or user.timezone)
    return form


def _page(add_form: SobrietyDateForm, status: int = 200) -> tuple[str, int]:
    user = account()
    today = sobriety.today_in(user.timezone)
    records = dates.list_dates(get_session(), user)
    rows = [(r, sobriety.progress(r.date, today)) for r in records]
    html = render_template(
        "accounts/sobriety.html",
        rows=rows,
        form=add_form,
        tz_form=_timezone_form(),
        today=today,
        user=user,
        default_zone=user.timezone == DEFAULT_TIMEZONE,
    )
    return html, status


@bp.get("/me/sobriety")
@login_required
def sobriety_page() -> tuple[str, int]:
    return _page(SobrietyDateForm(formdata=None))


@bp.post("/me/sobriety")
@login_required
def add_date() -> tuple[str, int] | BaseResponse:
    user = account()
    form = SobrietyDateForm()
    today = sobriety.today_in(user.timezone)
    if form.validate_on_submit() and form.check_not_future(today) and form.date.data:
        dates.add_date(get_session(), user, form.label.data or "", form.date.data)
        flash("Your date is saved. Only you can see it.", "success")
        return redirect(url_for("accounts.sobriety_page"))
    return _page(form, 400)


def _own_date(record_id: int) -> SobrietyDate:
    record = dates.get_date(get_session(), account(), record_id)
    if record is None:
        abort(404)
    return record


@bp.route("/me/sobriety/<int:record_id>", methods=["GET", "POST"])
@login_required
def change_date(record_id: int) -> str | BaseResponse:
    record = _own_date(record_id)
    form = SobrietyChangeForm(obj=record if request.method == "GET" else None)
    today = sobriety.today_in(account().timezone)
    if form.validate_on_submit() and form.check_not_future(today) and form.date.data:
        dates.change_date(
            get_session(),
            record,
            form.label.data or "",
            form.date.data,
            keep_earlier=bool(form.keep_earlier.data),
            today=today,
        )
        flash("Your date is updated. We're glad you're here.", "success")
        return redirect(url_for("accounts.sobriety_page"))
    return render_template(
        "accounts/sobriety_change.html", form=form, record=record, confirm=ConfirmForm()
    )


@bp.post("/me/sobriety/<int:record_id>/delete")
@login_required
def delete_date(record_id: int) -> BaseResponse:
    dates.delete_date(get_session(), _own_date(record_id))
    flash("That date and its private history are deleted.", "success")
    return redirect(url_for("accounts.sobriety_page"))


@bp.post("/me/sobriety/history/<int:history_id>/delete")
@login_required
def delete_history(history_id: int) -> BaseResponse:
    if not dates.delete_history(get_session(), account(), history_id):
        abort(404)
    flash("That earlier date is deleted.", "success")
    return redirect(safe_next(url_for("accounts.sobriety_page")))


@bp.post("/me/timezone")
@login_required
def set_timezone() -> BaseResponse:
    form = _timezone_form()
    if form.validate_on_submit() and form.timezone.data:
        dates.set_timezone(get_session(), account(), form.timezone.data)
        flash("Your time zone is saved.", "success")
    else:
        flash("Please pick a time zone from the list.", "error")
    return redirect(safe_next(url_for("accounts.sobriety_page")))
