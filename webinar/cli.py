"""Command-line tasks: `flask demo-data`, and the commands other modules add."""

from __future__ import annotations

import click
from flask import Flask

from webinar.extensions import db
from webinar.london_time import to_london
from webinar.models import utc_now


@click.command("demo-data")
def demo_data_command() -> None:
    """Load this year's 16 Days of Action events (safe to run twice)."""
    from webinar.demo import load_demo_data

    added = load_demo_data(today=to_london(utc_now()).date())
    db.session.commit()
    click.echo(f"Added {added} demo events." if added else "Demo events already loaded.")


def register(app: Flask) -> None:
    from webinar.notifications.cli import outbox_group

    app.cli.add_command(outbox_group)
    from webinar.organisers.cli import organiser_group
    from webinar.registrations.retention import purge_personal_data_command

    app.cli.add_command(demo_data_command)
    app.cli.add_command(purge_personal_data_command)
    app.cli.add_command(organiser_group)
