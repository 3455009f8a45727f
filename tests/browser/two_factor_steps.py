"""What a person does in the browser to set up an authenticator app and use its codes."""

from __future__ import annotations

import time

import pyotp
from playwright.sync_api import Page, expect


def set_up_authenticator(page: Page) -> str:
    """On the set-up page: read the key as a person types it into the app, confirm a code."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    secret = page.locator("#key").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    return secret


def enter_next_code(page: Page, secret: str) -> None:
    """The code one step ahead: the one just used cannot be used again, and the server
    accepts a phone clock a step out."""
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code", exact=True).fill(totp.at(time.time() + totp.interval))
    page.get_by_role("button", name="Continue").click()
