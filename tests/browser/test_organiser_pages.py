"""Every organiser page works in a real browser: no errors, nothing from another host."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import LiveServer, PageProblems
from tests.browser.two_factor_steps import set_up_authenticator
from webinar.extensions import db
from webinar.models import Event, OrganiserRole
from webinar.organisers.services.accounts import create_organiser

pytestmark = pytest.mark.browser


def organiser_pages(event_id: int) -> list[str]:
    event = f"/organisers/events/{event_id}"
    return [
        "/organisers/",
        "/organisers/events",
        "/organisers/events/new",
        event,
        f"{event}/edit",
        f"{event}/preview",
        f"{event}/attendees",
        f"{event}/attendees/add",
        f"{event}/message",
        f"{event}/follow-up",
        f"{event}/feedback",
        f"{event}/questions",
        f"{event}/access",
        f"{event}/form-questions",
        f"{event}/cancel",
        "/organisers/check-in",
        f"/organisers/check-in/{event_id}",
        "/organisers/accounts",
        "/organisers/accounts/new",
        "/organisers/audit-log",
        "/organisers/your-account",
        "/organisers/your-account/password",
        "/organisers/your-account/two-factor/recovery-codes",
        "/organisers/accounts/1/two-factor",
        "/organisers/sign-out",
    ]


def test_every_organiser_page_loads_cleanly_for_an_admin(
    page: Page, live_server: LiveServer, problems: PageProblems
) -> None:
    email, password = f"admin-{secrets.token_hex(3)}@police.example", secrets.token_urlsafe(16)
    with live_server.app.app_context():
        create_organiser(email=email, password=password, role=OrganiserRole.ADMIN, created_by=None)
        db.session.commit()
        event_id = db.session.scalars(select(Event.id).where(Event.accepts_questions)).one()
        db.session.remove()

    page.goto("/organisers/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    set_up_authenticator(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    for path in organiser_pages(event_id):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.locator("body")).to_have_class(
            "govuk-template__body js-enabled govuk-frontend-supported"
        )
        expect(page.get_by_role("button", name="Leave this site")).to_be_in_viewport()
        assert page.title().startswith(page.get_by_role("heading", level=1).inner_text()), path
        assert problems.csp_violations(page) == [], path

    # On a phone, wide tables scroll in their own box; the page itself does not.
    page.set_viewport_size({"width": 375, "height": 740})
    for path in (
        "/organisers/",
        f"/organisers/events/{event_id}/attendees",
        "/organisers/events",
        f"/organisers/events/{event_id}/feedback",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path

    assert problems.page_errors == []
    assert problems.console_errors == []
    assert problems.other_hosts == []
