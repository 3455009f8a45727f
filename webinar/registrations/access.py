"""Events only some people can book: by the organisers' access code, or by approval."""

from __future__ import annotations

import hmac

from webinar.models import Event, EventAccess
from webinar.registrations.forms import RegistrationForm

WRONG_CODE = "The access code is not correct. Check it with the person who invited you"


def access_code_accepted(event: Event, form: RegistrationForm) -> bool:
    """True for events without a code; otherwise the code must match (any case).

    A wrong code is a form error: it says nothing about who has registered, so it gives
    nothing away (docs/safety.md#no-enumeration).
    """
    if event.access != EventAccess.CODE:
        return True
    typed = (form.access_code.data or "").strip().upper().encode()
    expected = (event.access_code or "").upper().encode()
    if expected and hmac.compare_digest(typed, expected):
        return True
    form.access_code.errors = [*form.access_code.errors, WRONG_CODE]
    return False
