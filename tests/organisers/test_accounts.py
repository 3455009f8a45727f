"""Accounts: the command that makes the first admin, passwords, and admin changes."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.organisers.conftest import PASSWORD, make_organiser, sign_in
from tests.pages import check_page, field_errors, text_of
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser, OrganiserRole
from webinar.organisers.passwords import verify_password

NEW_PASSWORD = "a much longer new password"


def audit_details() -> list[tuple[str, str]]:
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(entry.action, entry.detail) for entry in entries]


def test_the_command_creates_an_account_with_a_prompted_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["organiser", "create", "First.Admin@Police.example", "--role", "admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    account = db.session.scalar(select(Organiser))
    assert account is not None
    assert account.email == "first.admin@police.example"
    assert account.role == OrganiserRole.ADMIN
    assert verify_password(account.password_hash, PASSWORD)
    assert audit_details() == [("account_created", "first.admin@police.example as admin")]


def test_the_command_refuses_short_passwords_and_duplicates(app: Flask) -> None:
    runner = app.test_cli_runner()
    short = runner.invoke(args=["organiser", "create", "a@police.example"], input="short\nshort\n")
    assert short.exit_code != 0
    assert "between 12 and 128" in short.output
    make_organiser(OrganiserRole.ORGANISER, "b@police.example")
    again = runner.invoke(
        args=["organiser", "create", "b@police.example"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert again.exit_code != 0
    assert "already uses this email address" in again.output


def test_changing_your_password_needs_the_current_one(
    client: FlaskClient, organiser: Organiser
) -> None:
    sign_in(client, organiser)
    db.session.commit()
    wrong = client.post(
        "/organisers/your-account/password",
        data={
            "current_password": "not it",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert field_errors(check_page(wrong)) == {
        "current_password": "Your current password is not correct"
    }
    response = client.post(
        "/organisers/your-account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert verify_password(organiser.password_hash, NEW_PASSWORD)
    assert audit_details() == [("password_changed", organiser.email)]


def test_new_passwords_must_be_long_and_match(client: FlaskClient, organiser: Organiser) -> None:
    sign_in(client, organiser)
    db.session.commit()
    response = client.post(
        "/organisers/your-account/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "x"},
    )
    errors = field_errors(check_page(response))
    assert errors["new_password"] == "Password must be between 12 and 128 characters"
    assert errors["confirm_password"] == "Passwords must match"


def test_admins_create_accounts(client: FlaskClient, admin: Organiser) -> None:
    sign_in(client, admin)
    db.session.commit()
    check_page(client.get("/organisers/accounts/new"))
    response = client.post(
        "/organisers/accounts/new",
        data={
            "email": "helper@police.example",
            "role": "check_in",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    page = check_page(client.get("/organisers/accounts"))
    assert "helper@police.example" in page.get_text()
    duplicate = client.post(
        "/organisers/accounts/new",
        data={
            "email": "Helper@police.example",
            "role": "organiser",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert field_errors(check_page(duplicate)) == {
        "email": "An account already uses this email address"
    }
    assert audit_details() == [("account_created", "helper@police.example as check_in")]


def test_admins_change_roles_and_switch_accounts_off(
    client: FlaskClient, admin: Organiser, organiser: Organiser
) -> None:
    sign_in(client, admin)
    db.session.commit()
    check_page(client.get(f"/organisers/accounts/{organiser.id}"))
    response = client.post(f"/organisers/accounts/{organiser.id}", data={"role": "check_in"})
    assert response.status_code == 302
    assert organiser.role == OrganiserRole.CHECK_IN
    assert organiser.active is False
    assert audit_details() == [
        ("account_changed", "organiser@police.example: role organiser to check_in, switched off")
    ]


def test_there_is_always_an_active_admin(client: FlaskClient, admin: Organiser) -> None:
    sign_in(client, admin)
    db.session.commit()
    response = client.post(
        f"/organisers/accounts/{admin.id}", data={"role": "organiser", "active": "y"}
    )
    assert field_errors(check_page(response)) == {
        "role": "There must always be at least one active admin"
    }
    assert admin.role == OrganiserRole.ADMIN


def test_admins_set_a_new_password(
    client: FlaskClient, admin: Organiser, organiser: Organiser
) -> None:
    sign_in(client, admin)
    db.session.commit()
    check_page(client.get(f"/organisers/accounts/{organiser.id}/password"))
    response = client.post(
        f"/organisers/accounts/{organiser.id}/password",
        data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert verify_password(organiser.password_hash, NEW_PASSWORD)
    assert audit_details() == [("password_changed", organiser.email)]


def test_your_account_page(client: FlaskClient, check_in_staff: Organiser) -> None:
    sign_in(client, check_in_staff)
    db.session.commit()
    page = check_page(client.get("/organisers/your-account"))
    assert "30 minutes" in page.get_text()


@pytest.mark.parametrize("number", ["\u00b2", "\u0663", "0", "99999999999999999999999"])
def test_the_audit_log_copes_with_odd_page_numbers(
    client: FlaskClient, admin: Organiser, number: str
) -> None:
    sign_in(client, admin)
    db.session.commit()
    page = check_page(client.get("/organisers/audit-log", query_string={"page": number}))
    assert text_of(page.find("h1")) == "Audit log"


def test_a_tampered_role_gets_a_plain_message(client: FlaskClient, admin: Organiser) -> None:
    sign_in(client, admin)
    db.session.commit()
    account = make_organiser(OrganiserRole.ORGANISER, "someone@police.example")
    changed = check_page(client.post(f"/organisers/accounts/{account.id}", data={"role": "root"}))
    assert field_errors(changed) == {"role": "Select a role"}
    data = {
        "email": "new@police.example",
        "role": "root",
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    created = check_page(client.post("/organisers/accounts/new", data=data))
    assert field_errors(created) == {"role": "Select a role"}
    assert account.role == OrganiserRole.ORGANISER
