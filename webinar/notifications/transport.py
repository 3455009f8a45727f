"""How the sender hands a message on: SMTP through Flask-Mail when MAIL_SERVER is set,
otherwise a .eml file under instance/ for development."""

from __future__ import annotations

import smtplib
from pathlib import Path

from flask import current_app
from flask_mail import Connection, Mail

from webinar.extensions import mail
from webinar.models import utc_now
from webinar.notifications.mime import InviteMessage

#: RFC 5321 4.2.3: "Service not available, closing transmission channel". Any other reply
#: about one message (a 5xx for a recipient, a 4xx for its data) leaves the connection
#: usable, and smtplib resets the conversation, so the batch carries on over it.
CLOSING = 421


class TemporaryFailure(Exception):
    """Try again later: the server is down, slow or said 4xx."""


class PermanentFailure(Exception):
    """Do not try again: the server said 5xx about this message or recipient."""


class Transport:
    """SMTP when MAIL_SERVER is set; otherwise .eml files for development.

    One SMTP connection for every message sent through it (the sender uses one Transport
    per batch), opened at the first message and again only after the server dropped it.
    """

    def __init__(self) -> None:
        config = current_app.config
        self.server = str(config.get("MAIL_SERVER") or "")
        self.connection: _TimedConnection | None = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()

    def send(self, message: InviteMessage) -> None:
        if not self.server:
            try:
                write_eml(message)
            except OSError as error:
                raise TemporaryFailure(f"Could not write the .eml file: {error}") from error
            return
        try:
            if self.connection is None:
                self.connection = _TimedConnection(mail).__enter__()
            self.connection.send(message)
        except smtplib.SMTPRecipientsRefused as error:
            # smtplib has already reset the conversation (RSET): the connection carries
            # on with the rest of the batch.
            codes = [code for code, _text in error.recipients.values()]
            detail = "; ".join(f"{code} {text!r}" for code, text in error.recipients.values())
            if codes and all(400 <= code < 500 for code in codes):
                raise TemporaryFailure(f"Recipient refused: {detail}") from error
            raise PermanentFailure(f"Recipient refused: {detail}") from error
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused) as error:
            # Our own settings are wrong: every message would fail, so keep them all due
            # until someone fixes the configuration.
            self._close()
            raise TemporaryFailure(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
        except smtplib.SMTPResponseException as error:
            reason = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
            if error.smtp_code == CLOSING:
                self._close()
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(reason) from error
            raise TemporaryFailure(reason) from error
        except (smtplib.SMTPException, OSError) as error:
            # Refused or dropped connections, time-outs, DNS failures.
            self._close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error

    def _close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None and connection.host is not None:
            try:
                connection.host.quit()
            except (smtplib.SMTPException, OSError):
                connection.host.close()


class _TimedConnection(Connection):
    """Flask-Mail's connection, with settings read now and a time-out.

    Flask-Mail reads its settings once, at init_app; reading them here lets a deployment
    (or a test) change them. Without a time-out a silent server would stall the sender.
    """

    def __init__(self, extension: Mail) -> None:
        app = current_app
        # Connection only reads the settings attributes, which _Mail and Mail share.
        super().__init__(extension.init_mail(app.config, app.debug, app.testing))  # type: ignore[arg-type]

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        timeout = float(current_app.config["MAIL_TIMEOUT"])
        host: smtplib.SMTP
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def eml_directory() -> Path:
    return Path(current_app.config["OUTBOX_EML_DIR"])


def write_eml(message: InviteMessage) -> Path:
    """Write the message as a .eml file (no MAIL_SERVER: development)."""
    directory = eml_directory()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    name = message.msgId.strip("<>").partition("@")[0]
    path = directory / f"{stamp}-{name}.eml"
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(message.as_bytes())
    temporary.replace(path)  # atomic: the list page never shows half a file
    return path
