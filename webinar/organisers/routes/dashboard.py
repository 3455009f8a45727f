"""The organisers' start page: how every event is going."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.charts import bar_chart
from webinar.models import OrganiserRole, utc_now
from webinar.notifications.housekeeping import outbox_counts
from webinar.organisers.answer_queries import answer_counts
from webinar.organisers.chart import day_bars
from webinar.organisers.dashboard_queries import (
    CHART_DAYS,
    event_figures,
    registrations_per_day,
)
from webinar.organisers.roles import ALL_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint


@blueprint.get("/")
@role_required(*ALL_ROLES)
def home() -> str | Response:
    if current_organiser().role == OrganiserRole.CHECK_IN:
        return redirect(url_for("organisers.check_in_events"))
    now = utc_now()
    per_day = registrations_per_day(now=now)
    figures = event_figures(now=now)
    return render_template(
        "organisers/dashboard.html",
        figures=figures,
        answers=answer_counts([figure.event for figure in figures]),
        per_day=per_day,
        chart=bar_chart(day_bars(per_day), title=f"Registrations per day, last {CHART_DAYS} days"),
        outbox=outbox_counts(now=now),
        chart_days=CHART_DAYS,
    )
