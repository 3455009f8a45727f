"""`flask organiser create EMAIL --role ROLE`: the first admin is made this way.

`flask organiser reset-2fa EMAIL`: the last admin's way back after losing their phone.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webinar.extensions import db
from webinar.models import OrganiserRole
from webinar.organisers.passwords import MAX_LENGTH, MIN_LENGTH
from webinar.organisers.services.accounts import (
    AccountExists,
    create_organiser,
    find_organiser_by_email,
)
from webinar.organisers.services.two_factor import reset_two_factor
from webinar.validators import normalise_email

organiser_group = AppGroup("organiser", help="Manage organiser accounts.")


@organiser_group.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in OrganiserRole]),
    default=OrganiserRole.ORGANISER.value,
    show_default=True,
)
def create_command(email: str, role: str) -> None:
    """Create an account. The password is asked for, never given as an argument."""
    # A prompt, not an option: arguments end up in shell history and process lists.
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise click.ClickException(
            f"Password must be between {MIN_LENGTH} and {MAX_LENGTH} characters"
        )
    try:
        create_organiser(email=email, password=password, role=OrganiserRole(role), created_by=None)
        db.session.commit()
    except AccountExists as error:
        raise click.ClickException("An account already uses this email address") from error
    click.echo(f"Created {role} account for {normalise_email(email)}.")


@organiser_group.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Remove an account's authenticator app, for example the last admin's lost phone."""
    account = find_organiser_by_email(email)
    if account is None:
        raise click.ClickException("No account uses this email address")
    reset_two_factor(account=account, reset_by=None)
    db.session.commit()
    click.echo(
        f"Reset the authenticator app for {account.email}. "
        "They set up a new one when they next sign in."
    )
