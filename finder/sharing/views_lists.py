"""Lists for a sponsee: /lists/new, /lists (POST), /lists/<code>, its .ics, edit and delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

import finder.search as search_pkg
from finder.accounts.views import current_account
from finder.db import get_session
from finder.extensions import limiter
from finder.i18n import gettext as _
from finder.search.gone import gone_meeting
from finder.search.present import demo_footnote
from finder.sharing import bp, links, lists
from finder.sharing.calendar import calendar_of, timed
from finder.sharing.models import MeetingList
from finder.sharing.qr import qr_svg
from finder.sharing.views import ics_response, link_host, svg_response

NEW_KEY = "finder.new_list_key"  # the edit key of a list just made, shown on its page once


def _chosen(slugs: list[str], add: str | None) -> tuple[list[str], str | None]:
    """The slugs in the form, plus one pasted link or slug; an error when it is not a meeting."""
    if add is None:
        return slugs, None
    if not add.strip():
        return slugs, _("Paste the link of a meeting's page to add it.")
    slug = lists.slug_from(add)
    if slug and gone_meeting(get_session(), slug) is not None:  # its page answers 410
        return slugs, _(
            "That meeting is no longer listed, so it can't go on a list. "
            "Its page may show meetings at the same place or time."
        )
    if not slug or not lists.pick_meetings(get_session(), [slug]).meetings:
        return slugs, _("That link is not a meeting on this site. Copy the link of its page.")
    return [*slugs, slug], None


def _form_page(
    template_args: dict[str, object], title: str | None, slugs: list[str], errors: list[str]
) -> ResponseReturnValue:
    picked = lists.pick_meetings(get_session(), slugs)
    if picked.missing and not errors:
        errors = [_("Some meetings are no longer listed and were left out.")]
    status = 400 if errors and request.method == "POST" else 200
    html = render_template(
        "sharing/list_form.html",
        title=title or "",
        meetings=picked.meetings,
        errors=errors,
        max_title=lists.MAX_TITLE,
        **template_args,
    )
    return html, status


@bp.get("/lists/new")
def new_list() -> ResponseReturnValue:
    slugs, error = _chosen(request.args.getlist("slug"), request.args.get("add"))
    return _form_page(_new_form(), None, slugs, _one(error))


def _new_form() -> dict[str, object]:
    return {"action": url_for("sharing.create_list")}


def _one(error: str | None) -> list[str]:
    return [error] if error else []


@bp.post("/lists")
@limiter.limit("30 per minute")  # each list is a row: no flooding the database
def create_list() -> ResponseReturnValue:
    title = request.form.get("title")
    slugs, error = _chosen(request.form.getlist("slug"), _added())
    if error is not None or _added() is not None:
        return _form_page({**_new_form(), **_refused(error)}, title, slugs, _one(error))
    picked = lists.pick_meetings(get_session(), slugs)
    errors = lists.problems(title, picked)
    if errors:
        return _form_page(_new_form(), title, slugs, errors)
    user = current_account()
    record, key = lists.create_list(
        get_session(), title or "", picked.meetings, user.id if user else None
    )
    if key:
        session[NEW_KEY] = [record.code, key]
    return redirect(url_for("sharing.show_list", code=record.code))


def _added() -> str | None:
    """The pasted link when the "Add" button was pressed, else None."""
    return request.form.get("add", "") if request.form.get("do") == "add" else None


def _refused(error: str | None) -> dict[str, object]:
    """What was pasted, shown again when it could not be added, so it can be corrected."""
    return {"added": _added() or "", "add_refused": True} if error is not None else {}


def _list_or_404(code: str) -> MeetingList:
    record = lists.find_list(get_session(), code)
    if record is None:
        abort(404)
    return record


def _key_shown_once(code: str) -> str | None:
    saved = session.get(NEW_KEY)
    if isinstance(saved, list) and len(saved) == 2 and saved[0] == code:
        session.pop(NEW_KEY)
        return links.public_url("sharing.edit_list", code=code, key=str(saved[1]))
    return None


@bp.get("/lists/<code>")
def show_list(code: str) -> ResponseReturnValue:
    record = _list_or_404(code)
    now = search_pkg.now_utc()
    user = current_account()
    items = lists.entries(get_session(), record, now)
    url = links.public_url("sharing.show_list", code=code)
    text = _list_text(record.title, len(items))
    edit_link = _key_shown_once(code)
    response = render_template(
        "sharing/list.html",
        record=record,
        items=items,
        now=now,
        url=url,
        share_text=text,
        sms=links.sms_link(text, url),
        mail=links.mail_link(record.title, text, url),
        edit_link=edit_link,
        owner=user is not None and record.user_id == user.id,
        has_times=any(timed(m) for m in lists.listed_meetings(items)),
        demo_notice=demo_footnote(item.meeting for item in items),
    )
    headers = {"Cache-Control": "no-store"} if edit_link else {}
    return response, 200, headers


def _list_text(title: str, count: int) -> str:
    return _("%(title)s: %(n)s meetings", title=title, n=count) if count != 1 else title


@bp.get("/lists/<code>.ics")
def list_ics(code: str) -> ResponseReturnValue:
    record = _list_or_404(code)
    now = search_pkg.now_utc()
    meetings = lists.listed_meetings(lists.entries(get_session(), record, now))
    body = calendar_of(meetings, links.meeting_url, now, link_host(), name=record.title)
    return ics_response(body, f"list-{code}.ics")


@bp.get("/lists/<code>/qr.svg")
def list_qr(code: str) -> ResponseReturnValue:
    record = _list_or_404(code)
    url = links.public_url("sharing.show_list", code=record.code)
    return svg_response(qr_svg(url, _("QR code for %(title)s", title=record.title)))


def _editable(code: str, key: str | None) -> MeetingList:
    record = _list_or_404(code)
    user = current_account()
    if record.user_id is not None and user is None and not key:
        abort(redirect(url_for("accounts.login", next=request.path)))  # the maker, logged out
    if not lists.can_edit(record, user.id if user else None, key):
        abort(404)
    return record


@bp.route("/lists/<code>/edit", methods=["GET", "POST"])
@bp.route("/lists/<code>/edit/<key>", methods=["GET", "POST"])
def edit_list(code: str, key: str | None = None) -> ResponseReturnValue:
    record = _editable(code, key)
    here = {"action": request.path, "record": record, "key": key}
    if request.method == "GET":
        slugs = [i.meeting_slug for i in record.items]
        return _form_page(here, record.title, slugs, [])
    title = request.form.get("title")
    slugs, error = _chosen(request.form.getlist("slug"), _added())
    if error is not None or _added() is not None:
        return _form_page({**here, **_refused(error)}, title, slugs, _one(error))
    picked = lists.pick_meetings(get_session(), slugs)
    errors = lists.problems(title, picked)
    if errors:
        return _form_page(here, title, slugs, errors)
    lists.update_list(get_session(), record, title or "", picked.meetings)
    flash(_("The list is saved."), "success")
    return redirect(url_for("sharing.show_list", code=code))


@bp.post("/lists/<code>/delete")
def delete_list(code: str) -> ResponseReturnValue:
    record = _editable(code, request.form.get("key"))
    lists.delete_list(get_session(), record)
    flash(_("The list is deleted. Its link no longer works."), "success")
    return redirect(url_for("search.index"))
