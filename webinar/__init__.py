"""The campaign events and webinar registration service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from webinar import cli, errors, page_cache, security, templating
from webinar.config import is_development, load_config
from webinar.database import configure_engine_events
from webinar.extensions import csrf, db, limiter, login_manager, mail, migrate
from webinar.registrations import gate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, templates, blueprints, errors, commands."""
    app = templating.WebinarFlask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=None,
    )
    load_config(app, config)
    _bind_extensions(app)
    templating.configure(app, PROJECT_ROOT / "templates")
    security.register_url_converters(app)
    _register_blueprints(app)
    errors.register(app)
    security.register(app)
    page_cache.register(app)
    gate.register(app)
    cli.register(app)
    return app


def _bind_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine_events(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    import webinar.organisers.login  # noqa: F401  (registers the user loader)


def _register_blueprints(app: Flask) -> None:
    from webinar.calendars.routes import blueprint as calendars
    from webinar.events.routes import blueprint as events
    from webinar.feedback.routes import blueprint as feedback
    from webinar.health.routes import blueprint as health
    from webinar.joining.routes import blueprint as joining
    from webinar.organisers.routes import blueprint as organisers
    from webinar.pages.routes import blueprint as pages
    from webinar.registrations.routes import blueprint as registrations

    for blueprint in (
        health,
        pages,
        events,
        registrations,
        joining,
        feedback,
        calendars,
        organisers,
    ):
        app.register_blueprint(blueprint)
    if is_development(app):
        # The .eml list holds people's emails: it must not exist in production.
        from webinar.dev.routes import blueprint as dev

        app.register_blueprint(dev)
