"""Changing who can get a place at an event, audited without the code itself."""

from __future__ import annotations

from webinar.models import Event, EventAccess, Organiser
from webinar.organisers.audit import AuditAction, record
from webinar.page_version import public_pages_changed


def change_access(
    *, event: Event, access: EventAccess, access_code: str | None, organiser: Organiser
) -> bool:
    """Returns whether anything changed. The code is kept only while it is in use."""
    code = access_code if access == EventAccess.CODE else None
    if event.access == access and event.access_code == code:
        return False
    details = [f"{event.access.value} to {access.value}"] if event.access != access else []
    if code is not None and event.access_code != code:
        details.append("new access code")
    event.access = access
    event.access_code = code
    public_pages_changed()
    # The code is not written to the log: the log is for who did what, not a way to get in.
    record(
        AuditAction.EVENT_ACCESS_CHANGED,
        organiser=organiser,
        event=event,
        detail=", ".join(details),
    )
    return True
