"""The second factor: the code after the password, setting the app up, and resetting it."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response

from webinar.extensions import db, limiter
from webinar.models import Organiser, OrganiserRole
from webinar.organisers import devices, two_factor
from webinar.organisers.forms.accounts import ConfirmForm
from webinar.organisers.forms.two_factor import CodeForm, RequireForm, SetUpForm
from webinar.organisers.login import remember_session_version
from webinar.organisers.roles import ALL_ROLES, current_organiser, role_required, signed_in_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.routes.sign_in import _address_limit, _failed, _safe_next
from webinar.organisers.second_step import PENDING_KEY, complete_sign_in, pending_organiser
from webinar.organisers.services.two_factor import (
    AlreadySetUp,
    LastAdmin,
    WrongCode,
    check_second_step,
    confirm_setup,
    new_recovery_codes,
    require_two_factor,
    reset_two_factor,
    start_setup,
)
from webinar.qr_codes import qr_code_svg

WRONG_CODE = "Enter a correct code"


def _pending_key() -> str:
    # Per account, so changing network address does not buy more guesses.
    pending = session.get(PENDING_KEY)
    if isinstance(pending, dict) and pending.get("id"):
        return f"two-factor:{int(pending['id'])}"
    return get_remote_address()


def _account_limit() -> str:
    return str(current_app.config["ORGANISER_TWO_FACTOR_LIMIT"])


@blueprint.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_pending_key, methods=["POST"], deduct_when=_failed)
def enter_code() -> str | Response:
    """The second step, on its own page after the password."""
    if current_user.is_authenticated:
        return redirect(url_for("organisers.home"))
    organiser = pending_organiser()
    if organiser is None:
        flash("Sign in again to continue", "info")
        return redirect(url_for("organisers.sign_in_page", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            passed = check_second_step(organiser, form.code.data or "")
            db.session.commit()
        except WrongCode:
            db.session.commit()  # the failed attempt is audited
            form.code.errors.append(WRONG_CODE)
        else:
            complete_sign_in(organiser)
            db.session.commit()
            if passed.recovery_codes_left is not None:
                flash(_codes_left_message(passed.recovery_codes_left), "info")
                response = redirect(url_for("organisers.your_account"))
            else:
                response = redirect(_safe_next(request.args.get("next")))
            devices.remember_device(response, organiser.email)
            return response
    return render_template("organisers/two_factor/enter_code.html", form=form)


def _codes_left_message(left: int) -> str:
    plural = "code" if left == 1 else "codes"
    return (
        f"You used a recovery code. You have {left} recovery {plural} left. "
        "If you have lost your phone, ask an admin to reset your authenticator app."
    )


@blueprint.route("/your-account/two-factor", methods=["GET", "POST"])
@signed_in_required
def set_up_two_factor() -> str | Response:
    organiser = current_organiser()
    try:
        secret = start_setup(organiser)
    except AlreadySetUp:
        return redirect(url_for("organisers.your_account"))
    db.session.commit()  # the key stays the same if the page is reloaded
    form = SetUpForm()
    if form.validate_on_submit():
        try:
            codes = confirm_setup(organiser, form.code.data or "")
            db.session.commit()
        except WrongCode:
            form.code.errors.append(WRONG_CODE)
        else:
            # Every other session of this account has ended; this one carries on.
            remember_session_version(organiser)
            return render_template("organisers/two_factor/recovery_codes.html", codes=codes)
    uri = two_factor.provisioning_uri(
        secret=secret, email=organiser.email, issuer=current_app.config["SERVICE_NAME"]
    )
    return render_template(
        "organisers/two_factor/set_up.html",
        form=form,
        key=two_factor.grouped(secret),
        qr_code=qr_code_svg(uri, title="QR code for your authenticator app"),
    )


@blueprint.route("/your-account/two-factor/recovery-codes", methods=["GET", "POST"])
@role_required(*ALL_ROLES)
def replace_recovery_codes() -> str | Response:
    organiser = current_organiser()
    if not organiser.has_two_factor:
        return redirect(url_for("organisers.set_up_two_factor"))
    form = ConfirmForm()
    if form.validate_on_submit():
        codes = new_recovery_codes(organiser)
        db.session.commit()
        return render_template("organisers/two_factor/recovery_codes.html", codes=codes)
    return render_template("organisers/two_factor/replace_recovery_codes.html", form=form)


def _account_or_404(account_id: int) -> Organiser:
    account = db.session.get(Organiser, account_id)
    if account is None:
        abort(404)
    return account


@blueprint.route("/accounts/<int:account_id>/two-factor", methods=["GET", "POST"])
@role_required(OrganiserRole.ADMIN)
def account_two_factor(account_id: int) -> str | Response:
    """Whether the account uses an app; an admin can require it of check-in staff."""
    account = _account_or_404(account_id)
    form = RequireForm(data={"required": account.two_factor_required})
    if form.validate_on_submit():
        require_two_factor(
            account=account, required=bool(form.required.data), changed_by=current_organiser()
        )
        db.session.commit()
        flash("Account updated", "success")
        return redirect(url_for("organisers.list_accounts"))
    return render_template(
        "organisers/two_factor/account.html",
        account=account,
        form=form,
        reset_form=ConfirmForm(),
        is_you=account.id == current_organiser().id,
    )


@blueprint.post("/accounts/<int:account_id>/two-factor/reset")
@role_required(OrganiserRole.ADMIN)
def reset_account_two_factor(account_id: int) -> str | Response:
    account = _account_or_404(account_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        reset_two_factor(account=account, reset_by=current_organiser())
        db.session.commit()
    except LastAdmin:
        db.session.rollback()
        flash(
            "You are the only admin, so you cannot reset your own authenticator app here. "
            "Use the command line: flask organiser reset-2fa EMAIL",
            "info",
        )
        return redirect(url_for("organisers.account_two_factor", account_id=account.id))
    flash(
        "Authenticator app reset. They have been signed out and will set up a new one "
        "when they next sign in.",
        "success",
    )
    return redirect(url_for("organisers.list_accounts"))
