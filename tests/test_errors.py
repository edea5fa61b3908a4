"""An unexpected error: a friendly page for the person, a traceback (and no search) in the log."""

from __future__ import annotations

import logging

import pytest
from flask import Flask


def test_crash_is_logged_without_the_query_and_shown_kindly(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("kaput")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom?near=350+Fifth+Avenue")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "kaput" not in response.get_data(as_text=True)
    assert "unhandled RuntimeError on /boom" in caplog.text
    assert "kaput" in caplog.text  # the traceback is there for whoever runs the site
    assert "Fifth" not in caplog.text
