"""Templates: GOV.UK macro imports cost nothing per page (docs/architecture.md#template-cost)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient


def test_pages_share_the_environment_globals_so_imported_macros_are_reused(
    app: Flask, client: FlaskClient
) -> None:
    button = app.jinja_env.get_template("govuk_frontend_jinja/components/button/macro.html")
    assert client.get("/").status_code == 200
    module = button._module

    assert client.get("/privacy-notice").status_code == 200

    assert module is not None and button._module is module
    assert app.jinja_env.get_template("base.html").globals is app.jinja_env.globals


def test_a_template_given_its_own_globals_keeps_them_to_itself(app: Flask) -> None:
    template = app.jinja_env.from_string("{{ extra }}", globals={"extra": "only here"})

    assert template.render() == "only here"
    assert "extra" not in app.jinja_env.globals
