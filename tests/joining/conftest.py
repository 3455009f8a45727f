"""Fixtures for the joining-link tests: emails really sent over SMTP."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from flask import Flask

from tests.notifications.helpers import bodies, use_smtp
from tests.smtp_server import SMTPServer


@pytest.fixture
def smtp(app: Flask, smtp_server: SMTPServer) -> SMTPServer:
    use_smtp(app, smtp_server)
    return smtp_server


def joining_path(message: EmailMessage) -> str:
    """The path of the joining link in an email's text, as a person would click it."""
    links = set(re.findall(r"http://localhost(/join/[A-Za-z0-9_-]+)", bodies(message)[0]))
    assert len(links) == 1, links
    return links.pop()
