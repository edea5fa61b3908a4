"""Security headers on every response, and the one check for `next` redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # The rate limiter sends Retry-After with every answer; it means something only on a
    # refusal (429) or an outage (503), and a client may wait needlessly on a 200.
    if response.status_code not in (429, 503):
        headers.pop("Retry-After", None)
    return response


def is_safe_next(target: str | None) -> bool:
    """Only relative paths on this site: no scheme, no host, no protocol-relative //."""
    if not target:
        return False
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def init_app(app: Flask) -> None:
    app.after_request(set_security_headers)
