"""GOV.UK widgets: blank fields' HTML is kept for the next visitor, typed text never is."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import VALID_REGISTRATION, Factory
from tests.pages import check_page, field_errors


def _form_html(client: FlaskClient, slug: str) -> str:
    page = check_page(client.get(f"/events/{slug}/register"))
    form = page.select_one("main form")
    assert form is not None
    csrf = form.select_one("input[name=csrf_token]")
    if csrf is not None:
        csrf.decompose()
    return str(form)


def test_every_visitor_gets_the_same_blank_form(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)

    first = _form_html(client, event.slug)
    second = _form_html(app.test_client(), event.slug)

    assert first == second
    assert 'name="email"' in first and 'type="checkbox"' in first


def test_what_a_visitor_typed_is_shown_back_to_them_and_never_kept(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)
    _form_html(client, event.slug)
    typed = {"name": "Alex Quietname", "email": "not-an-address", "question": "Pale blue door?"}

    response = client.post(
        f"/events/{event.slug}/register", data={**VALID_REGISTRATION, **typed, "discreet": "y"}
    )

    page = check_page(response)
    assert field_errors(page)["email"].startswith("Enter an email address in the correct format")
    name = page.select_one("input[name=name]")
    assert name is not None and name["value"] == "Alex Quietname"
    assert "Pale blue door?" in str(page.select_one("textarea[name=question]"))
    discreet = page.select_one("input[name=discreet]")
    assert discreet is not None and discreet.has_attr("checked")
    # A blank form afterwards shows none of it.
    blank = _form_html(app.test_client(), event.slug)
    assert not any(text in blank for text in typed.values())
    assert "checked" not in blank
    kept = app.extensions["govuk_field_html"]
    for text in typed.values():
        assert not any(text in key or text in html for key, html in kept.items())
    assert not any("checked" in html for html in kept.values())
