"""The audit log, for admins to read. Nothing in the app edits or deletes it."""

from __future__ import annotations

import math

from flask import render_template, request
from sqlalchemy import func, select

from webinar.extensions import db
from webinar.models import AuditEntry, Event, OrganiserRole
from webinar.organisers.queries import page_number
from webinar.organisers.roles import role_required
from webinar.organisers.routes.blueprint import blueprint

PAGE_SIZE = 100


@blueprint.get("/audit-log")
@role_required(OrganiserRole.ADMIN)
def audit_log() -> str:
    total = int(db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    pages = max(math.ceil(total / PAGE_SIZE), 1)
    page = min(page_number(request.args.get("page")), pages)
    rows = db.session.execute(
        select(AuditEntry, Event.title)
        .outerjoin(Event, Event.id == AuditEntry.event_id)
        .order_by(AuditEntry.at_utc.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "organisers/audit_log.html", rows=rows, page=page, pages=pages, total=total
    )
