"""Signing in and out."""

from __future__ import annotations

import hashlib

from flask import current_app, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from webinar.extensions import db, limiter
from webinar.organisers import devices
from webinar.organisers.forms.accounts import ConfirmForm, SignInForm
from webinar.organisers.login import end_session
from webinar.organisers.roles import current_organiser
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.second_step import begin_second_step, complete_sign_in
from webinar.organisers.services.accounts import SignInFailed, record_sign_out, sign_in
from webinar.validators import normalise_email

GENERIC_FAILURE = "Enter a correct email address and password"


def _failed(response: Response) -> bool:
    # Only failed attempts count: a successful sign-in redirects.
    return request.method == "POST" and response.status_code != 302


def _account_key() -> str:
    # Hashed: the limiter's storage (Redis) need not hold anyone's email address.
    email = normalise_email(str(request.form.get("email", "")))[:254]
    if not email:
        return get_remote_address()
    return "sign-in:" + hashlib.sha256(email.encode()).hexdigest()


def _address_limit() -> str:
    return str(current_app.config["ORGANISER_SIGN_IN_LIMIT"])


def _account_limit() -> str:
    return str(current_app.config["ORGANISER_SIGN_IN_ACCOUNT_LIMIT"])


def _safe_next(target: str | None) -> str:
    """Only our own organiser pages: never an open redirect (OWASP ASVS 5.1.5)."""
    if target and target.startswith("/organisers/") and "//" not in target and "\\" not in target:
        return target
    return url_for("organisers.home")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(
    _account_limit,
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    # A device this account has signed in from before is not held up by failures from
    # elsewhere: knowing a volunteer's address must not be enough to lock them out.
    exempt_when=devices.known_device,
)
def sign_in_page() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("organisers.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            organiser = sign_in(email=form.email.data or "", password=form.password.data or "")
        except SignInFailed:
            db.session.commit()  # the failed attempt is audited
            form.email.errors.append(GENERIC_FAILURE)
        else:
            # A fresh session on sign-in, so nothing from before carries over; a session
            # this browser had before is ended on the server too.
            end_session()
            if organiser.has_two_factor:
                begin_second_step(organiser)
                db.session.commit()
                return redirect(url_for("organisers.enter_code", next=request.args.get("next")))
            complete_sign_in(organiser)
            db.session.commit()
            response = redirect(_safe_next(request.args.get("next")))
            devices.remember_device(response, organiser.email)
            return response
    return render_template("organisers/sign_in.html", form=form)


@blueprint.get("/sign-out")
def sign_out_page() -> str | Response:
    """A button, not a link: signing out changes state, so it is a POST with a CSRF token."""
    if not current_user.is_authenticated:
        return redirect(url_for("organisers.sign_in_page"))
    return render_template("organisers/sign_out.html", form=ConfirmForm())


@blueprint.post("/sign-out")
def sign_out() -> Response:
    # CSRFProtect has checked the token before this runs (a forged POST gets a 400).
    if current_user.is_authenticated:
        record_sign_out(organiser=current_organiser())
    end_session()
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("organisers.signed_out"))


@blueprint.get("/signed-out")
def signed_out() -> str:
    return render_template("organisers/signed_out.html")
