"""Fixtures for the registration tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.factories import VALID_REGISTRATION
from webinar.models import Event


@pytest.fixture
def submit_registration(client: FlaskClient) -> Callable[..., Any]:
    """Post the registration form for an event, with some fields changed."""

    def submit(event: Event, **changes: Any) -> Any:
        return client.post(f"/events/{event.slug}/register", data={**VALID_REGISTRATION, **changes})

    return submit
