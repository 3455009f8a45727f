"""Organisers replacing one person's joining link; audited in the same transaction."""

from __future__ import annotations

from webinar.models import Organiser, Registration
from webinar.organisers.audit import AuditAction, record
from webinar.registrations.join_links import NotBooked, replace_join_link

__all__ = ["NotBooked", "replace_joining_link"]


def replace_joining_link(*, registration: Registration, organiser: Organiser) -> None:
    """The old link stops working; the person is emailed the new one. The route commits."""
    replace_join_link(registration)
    record(
        AuditAction.JOINING_LINK_REPLACED,
        organiser=organiser,
        event=registration.event,
        record_count=1,
    )
