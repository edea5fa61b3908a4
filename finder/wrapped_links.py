"""Links wrapped by a mail or chat program's click checker, and the meeting's link inside.

Copied out of an email, a Zoom link often comes as Outlook's Safe Links address
("https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fzoom.us%2Fj%2F123&data=..."),
Google's redirect ("https://www.google.com/url?q=...") or Facebook's
("https://l.facebook.com/l.php?u=...") or Proofpoint's URL Defense
("https://urldefense.com/v3/__https://zoom.us/j/123__;...", or version 2's
"https://urldefense.proofpoint.com/v2/url?u=https-3A__zoom.us_j_123&d=..."). Tapping it goes
through a third party that sees who
tapped, and breaks when the checker expires it: the link inside is the meeting's. A
checker's address with no link inside ("https://gcc02.safelinks.protection.outlook.com/",
in a real feed) joins nothing, nor does a meeting service's bare home page.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

# A link a phone can open: a scheme and a host name with a dot.
LINK = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+", re.IGNORECASE)
MAX_DEPTH = 4  # a checker's address inside another's


def _target_names(parts: SplitResult) -> tuple[str, ...] | None:
    """The query names holding the wrapped link, when this is a checker's address."""
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    if host == "safelinks.protection.outlook.com" or host.endswith(
        ".safelinks.protection.outlook.com"
    ):
        return ("url",)
    if host in ("www.google.com", "google.com") and path == "/url":
        return ("q", "url")
    if host in ("l.facebook.com", "lm.facebook.com", "l.messenger.com") and path == "/l.php":
        return ("u",)
    return None


# URL Defense 3 writes the link between "__" and "__;" (a "*" stands for a character it
# moved into the code after it: such a link is not read back, and the checker's address,
# which still leads there, is kept); version 2 writes it in `u`, "/" as "_" and other
# characters as "-XX" (hexadecimal).
UNREADABLE = "*"
URL_DEFENSE_3 = re.compile(r"^/v3/__(?P<inner>.+?)(?:__;.*)?$", re.DOTALL)
URL_DEFENSE_2_ESCAPE = re.compile(r"-([0-9A-Fa-f]{2})")


def _url_defense(parts: SplitResult) -> str | None:
    """The link inside a Proofpoint URL Defense address: "" when it holds none, UNREADABLE
    when it cannot be read back, None when the address is no URL Defense one."""
    host = (parts.hostname or "").lower()
    if host == "urldefense.com" and parts.path.startswith("/v3/"):
        found = URL_DEFENSE_3.match(parts.path + (f"?{parts.query}" if parts.query else ""))
        inner = found.group("inner") if found else ""
        return UNREADABLE if "*" in inner else inner
    if host == "urldefense.proofpoint.com" and parts.path.startswith("/v2/url"):
        encoded = (parse_qs(parts.query).get("u") or [""])[0]
        return URL_DEFENSE_2_ESCAPE.sub(
            lambda m: chr(int(m.group(1), 16)), encoded.replace("_", "/")
        )
    return None


def joins_nothing(url: str) -> bool:
    """A click checker's address with no link inside (pages say why no link is shown)."""
    return bool(url) and unwrap(url.strip()) is None


def unwrap(url: str) -> str | None:
    """The link inside a checker's address (one inside another too), the link itself when it
    is none, or None for a checker's address with no link inside."""
    for _ in range(MAX_DEPTH):
        try:
            parts = urlsplit(url.strip())
        except ValueError:  # a malformed address is no checker's: left as it is
            return url
        defended = _url_defense(parts)
        if defended == UNREADABLE:
            return url
        if defended is not None:
            inner = defended.strip()
        else:
            names = _target_names(parts)
            if names is None:
                return url
            query = parse_qs(parts.query)
            inner = next((query[name][0].strip() for name in names if query.get(name)), "")
        if not LINK.match(inner):
            return None
        url = inner
    return None


# Meeting services whose bare home page a listing sometimes gives instead of its meeting's
# link ("https://zoom.us", "http://www.gotomeeting.com", in real feeds): it joins nothing.
SERVICES = {
    "zoom.us": "Zoom", "zoom.com": "Zoom", "gotomeeting.com": "GoTo Meeting",
    "gotomeet.me": "GoTo Meeting", "goto.com": "GoTo Meeting", "meet.google.com": "Google Meet",
    "teams.microsoft.com": "Microsoft Teams", "teams.live.com": "Microsoft Teams",
    "webex.com": "Webex", "skype.com": "Skype", "whereby.com": "Whereby",
    "meet.jit.si": "Jitsi Meet", "freeconferencecall.com": "FreeConferenceCall",
}  # fmt: skip


def join_link(url: str) -> str | None:
    """The link to join a meeting by: the link inside a click checker's address; None for a
    checker's address with nothing inside, for a service's bare home page and for no link."""
    inner = unwrap(url) if url else None
    return None if not inner or _home_page_of(inner) else inner


def service_home_page(url: str) -> str | None:
    """The service's name when the link (or the link inside a click checker's address) is
    only a meeting service's home page (no meeting in its path or query), else None."""
    return _home_page_of(unwrap(url or "") or "")


def _home_page_of(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or parts.path.strip("/") or parts.query:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    return next(
        (name for domain, name in SERVICES.items()
         if host == domain or host.endswith("." + domain)),
        None,
    )  # fmt: skip
