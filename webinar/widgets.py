"""GOV.UK widgets, mended where govuk-frontend-wtf 3.2 renders something it should not.

They also render faster: govuk-frontend-wtf renders each field through Flask's
`render_template` of a two-line template that imports the GOV.UK macro. That runs every
context processor and, because the request's context has names the macro's template does
not, Jinja builds the macro's module (and the modules it imports) again for every field
(docs/benchmarks.md#registrations). Here the macro is imported once per process and called
directly: the same macro, the same parameters, the same HTML.

A GOV.UK macro is a pure function of its parameters, and a field nobody has typed into
renders the same for every visitor, so that HTML is kept (per app, the most recent
`FIELD_HTML_KEPT`). A field holding typed text or a choice is rendered each time and never
kept: no visitor's answers stay in memory after their request.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from markupsafe import Markup

#: govuk-frontend-wtf's template for each widget -> the GOV.UK macro that template calls.
_MACROS = {
    "govuk_frontend_wtf/input.html": ("components/input/macro.html", "govukInput"),
    "govuk_frontend_wtf/textarea.html": ("components/textarea/macro.html", "govukTextarea"),
    "govuk_frontend_wtf/button.html": ("components/button/macro.html", "govukButton"),
    "govuk_frontend_wtf/checkboxes.html": ("components/checkboxes/macro.html", "govukCheckboxes"),
    "govuk_frontend_wtf/radios.html": ("components/radios/macro.html", "govukRadios"),
}


#: Distinct blank fields whose HTML is kept: each form's fields, a few variants each.
FIELD_HTML_KEPT = 1024


class _MacroRendering:
    """Call the widget's GOV.UK macro from its module, imported once and kept by Jinja."""

    template: str
    #: Text inputs hold what the visitor typed; choices and buttons hold only the form's own.
    holds_typed_text = False

    def render(self, params: dict[str, Any]) -> Markup:
        path, name = _MACROS[self.template]
        if (self.holds_typed_text and params.get("value")) or _holds_a_choice(params):
            return _call_macro(path, name, params)
        kept: _KeptHtml = current_app.extensions.setdefault("govuk_field_html", _KeptHtml())
        # repr, not JSON: it tells Markup from str, which the macros escape differently.
        key = f"{path}:{params!r}"
        html = kept.get(key)
        if html is None:
            html = kept.keep(key, _call_macro(path, name, params))
        return html


def _holds_a_choice(params: dict[str, Any]) -> bool:
    """A ticked box or chosen radio is the visitor's answer: rendered, never kept."""
    return any(item.get("checked") for item in params.get("items") or ())


def _call_macro(path: str, name: str, params: dict[str, Any]) -> Markup:
    # get_template is cached by the environment; .module renders the macro file once,
    # with the environment's globals only (the macros need nothing from a request).
    module = current_app.jinja_env.get_template(f"govuk_frontend_jinja/{path}").module
    # The macro escapes what it is given (autoescaping is on for .html templates).
    return Markup(getattr(module, name)(params))  # noqa: S704


class _KeptHtml(dict[str, Markup]):
    """The most recent FIELD_HTML_KEPT blank fields' HTML, shared by a worker's threads."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def keep(self, key: str, html: Markup) -> Markup:
        with self._lock:
            if len(self) >= FIELD_HTML_KEPT:
                del self[next(iter(self))]
            self[key] = html
        return html


def _without_empty_hint(params: dict[str, Any], field: Any) -> dict[str, Any]:
    # The library always adds a hint to checkbox and radio groups; with no text it leaves
    # an empty element that aria-describedby points screen readers at.
    hint = params.get("hint") or {}
    if not field.description and not hint.get("text") and not hint.get("html"):
        params.pop("hint", None)
    return params


class TextInput(_MacroRendering, GovTextInput):
    """A GOV.UK text input."""

    holds_typed_text = True


class TextArea(_MacroRendering, GovTextArea):
    """A GOV.UK textarea."""

    holds_typed_text = True


class SubmitInput(_MacroRendering, GovSubmitInput):
    """A GOV.UK button."""


class CheckboxInput(_MacroRendering, GovCheckboxInput):
    """A single GOV.UK checkbox (a BooleanField)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _without_empty_hint(super().map_gov_params(field, **kwargs), field)


class RadioInput(_MacroRendering, GovRadioInput):
    """GOV.UK radios (a RadioField)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _without_empty_hint(super().map_gov_params(field, **kwargs), field)
