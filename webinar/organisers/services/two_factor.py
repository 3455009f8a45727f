"""Setting up, using and resetting the second factor, with the audit entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from webinar.extensions import db
from webinar.models import Organiser, OrganiserRole, RecoveryCode, utc_now
from webinar.organisers import two_factor
from webinar.organisers.audit import AuditAction, record


class WrongCode(Exception):
    """The code was not right, was used before, or was too old; we never say which.

    A failed second step has been audited in the session: the caller commits.
    """


class AlreadySetUp(Exception):
    """The account has a confirmed authenticator app; it must be reset first."""


class LastAdmin(Exception):
    """The only active admin cannot reset their own second factor here."""


@dataclass(frozen=True)
class SecondStep:
    """A passed second step; recovery_codes_left is None when the app's code was used."""

    recovery_codes_left: int | None = None


def start_setup(organiser: Organiser) -> str:
    """The key to show; the same one until confirmed, so a reload does not change it."""
    if organiser.has_two_factor:
        raise AlreadySetUp
    if organiser.totp_secret is None:
        organiser.totp_secret = two_factor.new_secret()
        db.session.flush()
    return organiser.totp_secret


def confirm_setup(organiser: Organiser, code: str) -> list[str]:
    """Switch the second factor on with one good code; returns new recovery codes."""
    if organiser.has_two_factor or organiser.totp_secret is None:
        raise AlreadySetUp
    step = two_factor.matching_step(organiser.totp_secret, code, utc_now())
    if step is None or not two_factor.claim_step(organiser, step):
        raise WrongCode
    organiser.totp_confirmed_at_utc = utc_now()
    codes = _replace_recovery_codes(organiser)
    record(AuditAction.TWO_FACTOR_SET_UP, organiser=organiser, detail=organiser.email)
    return codes


def check_second_step(organiser: Organiser, code: str) -> SecondStep:
    """Accept the app's code or an unused recovery code, once; every outcome is audited."""
    if organiser.has_two_factor and organiser.totp_secret is not None:
        step = two_factor.matching_step(organiser.totp_secret, code, utc_now())
        if step is not None and two_factor.claim_step(organiser, step):
            record(AuditAction.TWO_FACTOR_PASSED, organiser=organiser)
            return SecondStep()
        if two_factor.looks_like_recovery_code(code) and _use_recovery_code(organiser, code):
            left = recovery_codes_left(organiser)
            record(
                AuditAction.RECOVERY_CODE_USED,
                organiser=organiser,
                detail=f"{left} recovery codes left",
            )
            return SecondStep(recovery_codes_left=left)
    record(AuditAction.TWO_FACTOR_FAILED, organiser=organiser)
    raise WrongCode


def recovery_codes_left(organiser: Organiser) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.organiser_id == organiser.id)
            .where(RecoveryCode.used_at_utc.is_(None))
        )
        or 0
    )


def new_recovery_codes(organiser: Organiser) -> list[str]:
    """Replace every recovery code, used or not, with ten new ones."""
    codes = _replace_recovery_codes(organiser)
    record(AuditAction.RECOVERY_CODES_REPLACED, organiser=organiser, detail=organiser.email)
    return codes


def require_two_factor(*, account: Organiser, required: bool, changed_by: Organiser) -> None:
    """Only check-in accounts have a choice: the other roles always need the app."""
    if account.role != OrganiserRole.CHECK_IN or account.two_factor_required == required:
        return
    account.two_factor_required = required
    record(
        AuditAction.ACCOUNT_CHANGED,
        organiser=changed_by,
        detail=f"{account.email}: authenticator app {'required' if required else 'optional'}",
    )


def reset_two_factor(*, account: Organiser, reset_by: Organiser | None) -> None:
    """Remove the account's app and recovery codes; its sessions end (login.py).

    reset_by is None from the command line, the only way the last admin resets their own.
    """
    if reset_by is not None and reset_by.id == account.id and _is_last_admin(account):
        raise LastAdmin
    account.totp_secret = None
    account.totp_confirmed_at_utc = None
    account.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.organiser_id == account.id))
    record(
        AuditAction.TWO_FACTOR_RESET,
        organiser=reset_by,
        actor=None if reset_by else "command line",
        detail=account.email,
    )
    db.session.flush()


def _replace_recovery_codes(organiser: Organiser) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.organiser_id == organiser.id))
    codes = two_factor.new_recovery_codes()
    for code in codes:
        db.session.add(
            RecoveryCode(organiser_id=organiser.id, code_hash=two_factor.hash_recovery_code(code))
        )
    db.session.flush()
    return codes


def _use_recovery_code(organiser: Organiser, code: str) -> bool:
    """Mark the code used, only if it was unused: one conditional UPDATE."""
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.organiser_id == organiser.id)
        .where(RecoveryCode.code_hash == two_factor.hash_recovery_code(code))
        .where(RecoveryCode.used_at_utc.is_(None))
        .values(used_at_utc=utc_now())
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _is_last_admin(account: Organiser) -> bool:
    if account.role != OrganiserRole.ADMIN:
        return False
    admins = db.session.scalars(
        select(Organiser.id)
        .where(Organiser.role == OrganiserRole.ADMIN)
        .where(Organiser.active.is_(True))
        .order_by(Organiser.id)
        .with_for_update()
    ).all()
    return len(admins) <= 1
