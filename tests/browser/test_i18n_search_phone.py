"""static/app.js speaks the page's language: its words come from the page (data-*)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, expect

# The Spanish catalog with the pending search words (see tests/test_i18n_search.py).
from tests.test_i18n_search import app_config, fresh_translations  # noqa: F401


def test_location_denied_in_spanish(
    browser: Browser, browser_context_args: dict[str, Any], live_server: str
) -> None:
    args = {k: v for k, v in browser_context_args.items() if k not in ("permissions",)}
    context = browser.new_context(**args)
    page = context.new_page()
    page.goto(live_server + "/?lang=es")
    page.get_by_role("button", name="Usar mi ubicación").click()
    status = page.locator("[data-locate-status]")
    expect(status).to_contain_text("escriba un código postal, una ciudad o una dirección")
    expect(status).not_to_contain_text("type a ZIP code")
    context.close()
