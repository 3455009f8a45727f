"""Every email kind, sent through the test SMTP server and parsed: what it must carry, and
what a discreet one must never show at a glance (docs/safety.md#discreet-messages,
docs/safety.md#retention and docs/safety.md#help-signposting)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
import time_machine
from flask import Flask

from tests.calendar_checks import calendars_in, parse_calendar, single_event
from tests.factories import Factory
from tests.notifications.helpers import bodies, first_lines, html_text
from tests.notifications.scenes import (
    NEUTRAL_SENDER,
    SCENES,
    TITLE,
    VENUE,
    email_of_kind,
)
from tests.smtp_server import SMTPServer
from webinar.notifications.kinds import KINDS, Kind

HELP = ("999", "101", "0808 802 0300", "0808 2000 247")
#: Hosts an email may link to: the site itself and the joining link. No add-to-calendar
#: links: they would make a second entry (docs/calendar.md#one-entry-per-booking).
ALLOWED_HOSTS = {"localhost", "meet.example.org"}
_LINK = re.compile(r"https?://[^\s\"'<>]+")


def test_every_email_kind_is_covered() -> None:
    assert set(SCENES) == set(KINDS)


def _links(text: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in _LINK.findall(text)]


@pytest.mark.parametrize("discreet", [False, True], ids=["named", "discreet"])
@pytest.mark.parametrize("kind", list(SCENES))
def test_every_email_links_to_the_booking_signposts_help_and_tracks_nothing(
    kind: str,
    discreet: bool,
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    message = email_of_kind(
        kind, discreet=discreet, app=app, smtp=smtp_server, factory=factory, clock=frozen_time
    )

    plain, html = bodies(message)
    for body in (plain, html_text(html)):
        for number in HELP:
            assert number in body, f"help: {number}"
    for body in (plain, html):
        links = _links(body)
        if kind == Kind.DETAILS_DELETED:
            assert "no longer exists" in body
            assert not [link for link in links if "/booking/" in link]
        elif kind == Kind.CONFIRM_NEW_EMAIL:
            # The address is not confirmed yet: only the confirmation link, no booking link.
            assert [link for link in links if "/booking/confirm-email/" in link]
            assert not [link for link in links if re.search(r"/(booking|join)/[\w-]+$", link)]
        else:
            assert [link for link in links if re.search(r"/booking/[\w-]+$", link)], "manage"
            assert [link for link in links if re.search(r"/booking/[\w-]+/delete$", link)]
        for link in links:
            parts = urlsplit(link)
            assert parts.hostname in ALLOWED_HOSTS, f"unexpected link {link}"
            assert "redirect" not in link.lower()
            assert not parts.query, f"a tracking or redirect parameter in {link}"
    lowered = html.lower()
    for tag in ("<img", "<script", "<iframe", "<link", "url(", "background="):
        assert tag not in lowered, f"{tag} in the HTML body"


@pytest.mark.parametrize("kind", list(SCENES))
def test_no_discreet_email_shows_the_campaign_at_a_glance(
    kind: str,
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    message = email_of_kind(
        kind, discreet=True, app=app, smtp=smtp_server, factory=factory, clock=frozen_time
    )
    forbidden = (
        "16 days",
        "stalking",
        "domestic abuse",
        "police",
        app.config["ORGANISATION_NAME"].lower(),
        app.config["SERVICE_NAME"].lower(),
        TITLE.lower(),
        VENUE.lower(),
        "woburn",
    )

    sender = message["From"].addresses[0]
    assert sender.display_name == app.config["DISCREET_SENDER_NAME"]
    assert sender.addr_spec == NEUTRAL_SENDER
    plain, html = bodies(message)
    seen = {
        "From": sender.display_name,
        "Subject": message["Subject"],
        "text body": "\n".join(first_lines(plain)),
        "HTML body": "\n".join(first_lines(html_text(html))),
    }
    assert "meet.example.org" not in seen["text body"] + seen["HTML body"]
    for number, data in enumerate(calendars_in(message)):
        # The inline invite and the invite.ics attachment.
        vevent = single_event(parse_calendar(data))
        for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
            seen[f"{name} {number}"] = str(vevent.get(name, ""))
        seen[f"ORGANIZER CN {number}"] = str(vevent["ORGANIZER"].params.get("CN", ""))
        assert seen[f"ORGANIZER CN {number}"] == app.config["DISCREET_SENDER_NAME"]
        assert vevent["ORGANIZER"] == f"mailto:{NEUTRAL_SENDER}"
        assert "meet.example.org" not in seen[f"SUMMARY {number}"]
    for place, text in seen.items():
        text = unquote(text).lower()
        for word in forbidden:
            assert word not in text, f"{word!r} in the {place}: {text!r}"
