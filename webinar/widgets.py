"""GOV.UK widgets, mended where govuk-frontend-wtf 3.2 renders something it should not."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput


def _without_empty_hint(params: dict[str, Any], field: Any) -> dict[str, Any]:
    # The library always adds a hint to checkbox and radio groups; with no text it leaves
    # an empty element that aria-describedby points screen readers at.
    hint = params.get("hint") or {}
    if not field.description and not hint.get("text") and not hint.get("html"):
        params.pop("hint", None)
    return params


class CheckboxInput(GovCheckboxInput):
    """A single GOV.UK checkbox (a BooleanField)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _without_empty_hint(super().map_gov_params(field, **kwargs), field)


class RadioInput(GovRadioInput):
    """GOV.UK radios (a RadioField)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _without_empty_hint(super().map_gov_params(field, **kwargs), field)
