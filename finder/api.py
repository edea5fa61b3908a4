"""JSON API: nearby meetings and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from finder.db import ping

bp = Blueprint("api", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    ping()
    return jsonify(status="ok")
