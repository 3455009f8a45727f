"""The organisers' fixtures, for the follow-up and feedback results pages."""

from __future__ import annotations

from tests.organisers.conftest import organiser

__all__ = ["organiser"]
