"""The organisers' decision on a request for a place, audited."""

from __future__ import annotations

from datetime import datetime

from webinar.models import Organiser, Registration
from webinar.organisers.audit import AuditAction, record
from webinar.registrations import approval

NotRequested = approval.NotRequested


def decide_request(
    *, registration: Registration, approve: bool, message: str, organiser: Organiser, now: datetime
) -> None:
    """Approve (taking a place) or decline; raises NoPlaceLeft or NotRequested."""
    if approve:
        approval.approve_request(registration=registration, message=message, now=now)
    else:
        approval.decline_request(registration=registration, message=message, now=now)
    record(
        AuditAction.REQUEST_APPROVED if approve else AuditAction.REQUEST_DECLINED,
        organiser=organiser,
        event=registration.event,
        record_count=1,
        detail=f"Registration {registration.id}" + (", with a message" if message else ""),
    )
