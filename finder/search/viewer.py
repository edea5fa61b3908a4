"""The viewer's own time zone, for online meetings anywhere: ?tz=, the device, the account."""

from __future__ import annotations

from flask import request

from finder.accounts.timezones import is_known_zone
from finder.accounts.views import current_account

# Set by static/app.js from the device (Intl.DateTimeFormat); read here, never stored.
TZ_COOKIE = "tz"


def viewer_zone() -> str | None:
    """The zone to show online meetings in: the URL's ?tz=, the device's, the account's.

    The device comes before the account: someone travelling joins at the local time.
    None when nothing is known (no JavaScript, not logged in).
    """
    chosen = url_zone()
    if chosen:
        return chosen
    device = request.cookies.get(TZ_COOKIE)
    if device and is_known_zone(device):
        return device
    user = current_account()
    # An account's zone counts once the person picked it (older accounts default to UTC).
    if user is not None and user.timezone_chosen and is_known_zone(user.timezone):
        return user.timezone
    return None


def url_zone() -> str | None:
    """The zone this page's URL names (?tz=), when it is one."""
    zone = request.args.get("tz")
    return zone if zone and is_known_zone(zone) else None
