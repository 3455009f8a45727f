"""Jinja set-up: our templates, then the GOV.UK packages' macros, imported cheaply."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.templating import Environment
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from webinar.filters import register as register_filters


class CachedImportsEnvironment(Environment):
    """Jinja's environment, with `{% from ... import ... %}` nearly free on each render.

    Every page imports about 29 GOV.UK macro modules. Jinja keeps an imported module
    when the importing template has no globals of its own the imported one lacks; to
    find out it subtracts one set of global names from the other, and with the default
    per-template ChainMap of globals that check alone was 14-19% of a page's time
    (docs/architecture.md#template-cost). A template with no globals of its own shares
    the environment's dict instead: the same names, a set difference done in C, and the
    module is still reused as before.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        if not d:
            return self.globals
        return super().make_globals(d)


class WebinarFlask(Flask):
    """Flask, with templates in CachedImportsEnvironment."""

    jinja_environment = CachedImportsEnvironment


def configure(app: Flask, templates: Path) -> None:
    """Our templates first, then the GOV.UK macros under their package names."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(templates)),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    register_filters(app)
