"""Organiser accounts: signing in, passwords and the admin's account changes."""

from __future__ import annotations

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Organiser, OrganiserRole
from webinar.organisers.audit import AuditAction, record
from webinar.organisers.passwords import (
    hash_password,
    needs_rehash,
    spend_verification_time,
    verify_password,
)
from webinar.validators import normalise_email


class SignInFailed(Exception):
    """Wrong email or password, or the account is switched off; we never say which.

    The failure has been audited in the session: the caller commits before answering.
    """


class WrongPassword(Exception):
    """The current password given to change it was wrong."""


class AccountExists(Exception):
    """An account already uses this email address."""


class LastAdmin(Exception):
    """The change would leave no active admin."""


def find_organiser_by_email(email: str) -> Organiser | None:
    return db.session.scalar(select(Organiser).where(Organiser.email == normalise_email(email)))


def sign_in(*, email: str, password: str) -> Organiser:
    """The organiser whose email and password these are; failures are audited."""
    organiser = find_organiser_by_email(email)
    if organiser is None:
        spend_verification_time(password)
        record(AuditAction.SIGN_IN_FAILED, organiser=None, actor="unknown account")
        raise SignInFailed
    if not verify_password(organiser.password_hash, password) or not organiser.active:
        record(AuditAction.SIGN_IN_FAILED, organiser=organiser)
        raise SignInFailed
    if needs_rehash(organiser.password_hash):
        organiser.password_hash = hash_password(password)
    record(AuditAction.SIGNED_IN, organiser=organiser)
    return organiser


def record_sign_out(*, organiser: Organiser) -> None:
    record(AuditAction.SIGNED_OUT, organiser=organiser)


def create_organiser(
    *, email: str, password: str, role: OrganiserRole, created_by: Organiser | None
) -> Organiser:
    email = normalise_email(email)
    if find_organiser_by_email(email) is not None:
        raise AccountExists
    organiser = Organiser(email=email, password_hash=hash_password(password), role=role)
    db.session.add(organiser)
    db.session.flush()
    record(
        AuditAction.ACCOUNT_CREATED,
        organiser=created_by,
        actor=None if created_by else "command line",
        detail=f"{email} as {role.value}",
    )
    return organiser


def change_own_password(*, organiser: Organiser, current_password: str, new_password: str) -> None:
    if not verify_password(organiser.password_hash, current_password):
        raise WrongPassword
    organiser.password_hash = hash_password(new_password)
    record(AuditAction.PASSWORD_CHANGED, organiser=organiser, detail=organiser.email)


def set_password(*, account: Organiser, new_password: str, changed_by: Organiser) -> None:
    """An admin sets a new password for someone who has lost theirs."""
    account.password_hash = hash_password(new_password)
    record(AuditAction.PASSWORD_CHANGED, organiser=changed_by, detail=account.email)


def change_account(
    *, account: Organiser, role: OrganiserRole, active: bool, changed_by: Organiser
) -> None:
    """Change an account's role or switch it off; there is always an active admin."""
    loses_admin = account.role == OrganiserRole.ADMIN and (
        role != OrganiserRole.ADMIN or not active
    )
    if loses_admin and account.active and _active_admin_count() <= 1:
        raise LastAdmin
    changes = []
    if account.role != role:
        changes.append(f"role {account.role.value} to {role.value}")
    if account.active != active:
        changes.append("switched on" if active else "switched off")
    account.role = role
    account.active = active
    if changes:
        record(
            AuditAction.ACCOUNT_CHANGED,
            organiser=changed_by,
            detail=f"{account.email}: {', '.join(changes)}",
        )


def _active_admin_count() -> int:
    """Active admins, their rows locked: two admins demoting each other queue up."""
    admins = db.session.scalars(
        select(Organiser.id)
        .where(Organiser.role == OrganiserRole.ADMIN)
        .where(Organiser.active.is_(True))
        .order_by(Organiser.id)
        .with_for_update()
    ).all()
    return len(admins)


def list_organisers() -> list[Organiser]:
    return list(db.session.scalars(select(Organiser).order_by(Organiser.email)))
