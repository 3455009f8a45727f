"""Your own account, and the admin's account management."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.models import Organiser, OrganiserRole
from webinar.organisers.forms.accounts import (
    ChangeAccountForm,
    ChangePasswordForm,
    CreateAccountForm,
    SetPasswordForm,
)
from webinar.organisers.login import remember_session_version
from webinar.organisers.roles import ALL_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.accounts import (
    AccountExists,
    LastAdmin,
    WrongPassword,
    change_account,
    change_own_password,
    create_organiser,
    list_organisers,
    set_password,
)


@blueprint.get("/your-account")
@role_required(*ALL_ROLES)
def your_account() -> str:
    minutes = int(current_app.permanent_session_lifetime.total_seconds() // 60)
    return render_template(
        "organisers/your_account.html", organiser=current_organiser(), session_minutes=minutes
    )


@blueprint.route("/your-account/password", methods=["GET", "POST"])
@role_required(*ALL_ROLES)
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(
                organiser=current_organiser(),
                current_password=form.current_password.data or "",
                new_password=form.new_password.data or "",
            )
            db.session.commit()
        except WrongPassword:
            form.current_password.errors.append("Your current password is not correct")
        else:
            # Every other session of this account has now ended; this one carries on.
            remember_session_version(current_organiser())
            flash(
                "Your password has been changed. You have been signed out everywhere else.",
                "success",
            )
            return redirect(url_for("organisers.your_account"))
    return render_template("organisers/change_password.html", form=form)


@blueprint.get("/accounts")
@role_required(OrganiserRole.ADMIN)
def list_accounts() -> str:
    return render_template("organisers/accounts.html", accounts=list_organisers())


@blueprint.route("/accounts/new", methods=["GET", "POST"])
@role_required(OrganiserRole.ADMIN)
def create_account() -> str | Response:
    form = CreateAccountForm()
    if form.validate_on_submit():
        try:
            create_organiser(
                email=form.email.data or "",
                password=form.new_password.data or "",
                role=OrganiserRole(form.role.data),
                created_by=current_organiser(),
            )
            db.session.commit()
        except AccountExists:
            form.email.errors.append("An account already uses this email address")
        else:
            flash("Account created. Give the person their temporary password in person.", "success")
            return redirect(url_for("organisers.list_accounts"))
    return render_template("organisers/create_account.html", form=form)


def _keep_own_session(account: Organiser) -> None:
    """The account's sessions have ended; if it is the admin's own, this one carries on."""
    if account.id == current_organiser().id:
        remember_session_version(account)


def _account_or_404(account_id: int) -> Organiser:
    account = db.session.get(Organiser, account_id)
    if account is None:
        abort(404)
    return account


@blueprint.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@role_required(OrganiserRole.ADMIN)
def change_account_page(account_id: int) -> str | Response:
    account = _account_or_404(account_id)
    form = ChangeAccountForm(data={"role": account.role.value, "active": account.active})
    if form.validate_on_submit():
        try:
            change_account(
                account=account,
                role=OrganiserRole(form.role.data),
                active=bool(form.active.data),
                changed_by=current_organiser(),
            )
            db.session.commit()
        except LastAdmin:
            form.role.errors.append("There must always be at least one active admin")
        else:
            _keep_own_session(account)
            flash("Account updated", "success")
            return redirect(url_for("organisers.list_accounts"))
    return render_template("organisers/change_account.html", form=form, account=account)


@blueprint.route("/accounts/<int:account_id>/password", methods=["GET", "POST"])
@role_required(OrganiserRole.ADMIN)
def set_account_password(account_id: int) -> str | Response:
    account = _account_or_404(account_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        set_password(
            account=account,
            new_password=form.new_password.data or "",
            changed_by=current_organiser(),
        )
        db.session.commit()
        _keep_own_session(account)
        flash("New password set. Give it to them in person or by phone.", "success")
        return redirect(url_for("organisers.list_accounts"))
    return render_template("organisers/set_password.html", form=form, account=account)
