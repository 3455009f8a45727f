"""Site pages every public service needs, and the checks every public page must pass."""

from __future__ import annotations

import base64
import hashlib

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Factory, manage_url
from tests.pages import check_page, text_of


@pytest.mark.parametrize(
    ("url", "heading", "must_say"),
    [
        ("/accessibility-statement", "Accessibility statement", "WCAG"),
        ("/privacy-notice", "Privacy notice", "30 days after the event ends"),
        ("/cookies", "Cookies", "We only use essential cookies"),
        ("/help-and-support", "Help and support", "0808 802 0300"),
        ("/staying-safe-online", "Staying safe online", "does not delete your browsing history"),
    ],
)
def test_site_pages(client: FlaskClient, url: str, heading: str, must_say: str) -> None:
    page = check_page(client.get(url))

    assert text_of(page.find("h1")) == heading
    assert must_say in text_of(page.find("main"))


def test_every_public_page_passes_the_page_check(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)
    registration = factory.registration(event)
    urls = [
        "/",
        f"/events/{event.slug}",
        f"/events/{event.slug}/register",
        f"/events/{event.slug}/check-your-email",
        manage_url(registration),
        manage_url(registration) + "/cancel",
        manage_url(registration) + "/delete",
    ]
    # Every other page without parameters, whichever feature adds it.
    urls += [
        str(rule.rule)
        for rule in app.url_map.iter_rules()
        # health: JSON for load balancers (tests/security/test_health.py), not pages.
        if rule.endpoint.split(".")[0] not in {"organisers", "dev", "static", "health"}
        and "GET" in (rule.methods or set())
        and not rule.arguments
    ]
    checked = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.mimetype == "text/html":
            check_page(response)
            checked += 1
    assert checked >= 15
    not_found = client.get("/no-such-page")
    assert not_found.status_code == 404
    check_page(not_found)


def test_every_page_signposts_help_in_the_footer(client: FlaskClient) -> None:
    footer = text_of(check_page(client.get("/")).find("footer"))

    assert "call 999" in footer
    assert "call 101" in footer
    assert "0808 802 0300" in footer
    assert "0808 2000 247" in footer


def test_the_site_is_not_gov_uk_branded(client: FlaskClient) -> None:
    response = client.get("/")
    html = response.get_data(as_text=True)
    page = check_page(response)

    assert "govuk-header__logo" not in html
    assert "govuk-logo" not in html and "crown" not in html.lower()
    assert "GDS Transport" not in html
    assert text_of(page.select_one(".app-header__name")) == "Bedfordshire Police"
    assert page.select_one(".govuk-service-navigation") is not None
    banner = page.select_one(".govuk-phase-banner")
    assert banner is not None and "Beta" in text_of(banner)
    assert banner.select_one("a[href]") is not None


def test_security_headers_keep_third_parties_out(client: FlaskClient) -> None:
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'sha256-" in policy
    assert "nonce-" not in policy
    assert "unsafe-inline" not in policy
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    page = check_page(response)
    for tag in page.select("script[src], link[href]"):
        source = str(tag.get("src") or tag.get("href"))
        assert source.startswith("/"), source


def test_the_inline_script_is_allowed_by_its_hash_and_nothing_else_is(
    client: FlaskClient,
) -> None:
    """The hash in the policy is the hash of the script the page really carries."""
    response = client.get("/")
    script_sources = response.headers["Content-Security-Policy"].split("script-src ")[1]
    allowed = set(script_sources.split(";")[0].split()) - {"'self'"}

    inline = [s for s in check_page(response).select("script") if not s.get("src")]
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.string.encode()).digest()).decode() + "'"
        for s in inline
        if s.string
    }

    assert len(inline) == 1 and not inline[0].get("nonce")
    assert hashes == allowed


def test_every_visitor_gets_the_same_policy(client: FlaskClient) -> None:
    """No per-request nonce: the page can be the same for everyone, and so cached."""
    first = client.get("/").headers["Content-Security-Policy"]
    assert client.get("/privacy-notice").headers["Content-Security-Policy"] == first


def test_a_server_error_shows_a_friendly_page(app: Flask) -> None:
    @app.get("/explode")
    def explode() -> str:
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/explode")

    assert response.status_code == 500
    page = check_page(response)
    assert text_of(page.find("h1")) == "Sorry, there is a problem with the service"
    assert "boom" not in response.get_data(as_text=True)


def test_ids_too_large_for_any_database_are_simply_not_found(app: Flask) -> None:
    @app.get("/thing/<int:thing_id>")
    def thing(thing_id: int) -> str:
        return str(thing_id)

    client = app.test_client()

    assert client.get("/thing/2147483647").status_code == 200
    response = client.get("/thing/99999999999999999999999")
    assert response.status_code == 404
    check_page(response)
