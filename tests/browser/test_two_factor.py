"""Two-factor sign-in in a real browser: set up an app from the page, then sign in with it."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, PageProblems
from tests.browser.two_factor_steps import enter_next_code, set_up_authenticator
from webinar.extensions import db
from webinar.models import OrganiserRole
from webinar.organisers.services.accounts import create_organiser

pytestmark = pytest.mark.browser


def sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.goto("/organisers/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_organiser_sets_up_an_app_and_signs_in_with_its_code(
    page: Page, live_server: LiveServer, problems: PageProblems
) -> None:
    email, password = f"org-{secrets.token_hex(3)}@police.example", secrets.token_urlsafe(16)
    with live_server.app.app_context():
        create_organiser(
            email=email, password=password, role=OrganiserRole.ORGANISER, created_by=None
        )
        db.session.commit()
        db.session.remove()

    sign_in_with_password(page, email, password)
    # No attendee data, no other page, until the app is set up.
    page.goto("/organisers/events")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    qr_code = page.locator("main svg")
    expect(qr_code).to_be_visible()
    box = qr_code.bounding_box()
    assert box is not None and box["width"] >= 100, box
    secret = set_up_authenticator(page)
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, email, password)
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Enter a correct code")).to_be_visible()
    enter_next_code(page, secret)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    assert problems.csp_violations(page) == []
    assert problems.page_errors == []
    assert problems.console_errors == []
    assert problems.other_hosts == []
