"""finder: find peer-support meetings near you."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

# Every model module, so that their tables belong in Base.metadata.
import finder.accounts.models
import finder.accounts.models_log
import finder.sharing.models  # noqa: F401
from finder import (
    compression,
    db,
    errors,
    help,
    i18n,
    inputs,
    logs,
    offline,
    public_urls,
    security,
    spatial,
    web,
)
from finder import config as config_module
from finder.extensions import csrf, limiter
from finder.geocoding import build_online_geocoder
from finder.organize import models as organize_models  # noqa: F401 (tables, likewise)

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application factory: configuration, parts, blueprints, error handlers."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    if test_config is None:
        app.config.from_mapping(config_module.from_environ())
    else:
        base = config_module.from_environ({"FINDER_ENV": "testing"})
        app.config.from_mapping({**base, **test_config})
    logs.configure()
    trust_proxies(app)

    inputs.init_app(app)
    db.init_app(app)
    spatial.init_app(app)
    security.init_app(app)
    compression.init_app(app)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
    app.extensions["finder.geocoder"] = build_online_geocoder(app.config)
    i18n.init_app(app)
    web.init_app(app)
    public_urls.init_app(app)
    errors.init_app(app)
    register_blueprints(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind N proxies, read the client's address and scheme from X-Forwarded-* headers.

    Rate limits key on the client address, and cookies are marked Secure over HTTPS:
    both need the real values, not the load balancer's. X-Forwarded-Host is not
    trusted (a client can send it through many proxies): absolute links come from
    PUBLIC_BASE_URL, or the Host header the proxy passes.
    """
    count = int(app.config.get("TRUSTED_PROXIES", 0))
    if count > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count
        )


def register_blueprints(app: Flask) -> None:
    from finder import accounts, api, cli, feeds, organize, search, sharing

    app.register_blueprint(search.bp)
    app.register_blueprint(api.bp)
    help.init_app(app)
    offline.init_app(app)
    accounts.init_app(app)
    feeds.init_app(app)
    sharing.init_app(app)
    organize.init_app(app)
    cli.init_app(app)
