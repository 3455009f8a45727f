"""A Flask-Mail message that carries a calendar invite the way Gmail and Google Calendar do.

The shape and the reasons for it: docs/calendar.md#the-email.
"""

from __future__ import annotations

import functools
import re
import secrets
import socket
import time
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import MIMEPart
from email.mime.multipart import MIMEMultipart
from email.utils import format_datetime, make_msgid

import flask_mail
from flask_mail import Message
from icalendar import Calendar

# RFC 6047 section 2.4 carries iTIP methods; these are the ones we send by email.
CALENDAR_METHODS = frozenset({"REQUEST", "CANCEL"})
#: The attachment's name: neutral, as discreet emails carry it too.
ATTACHMENT_NAME = "invite.ics"

# RFC 5322 section 3.6.4: msg-id is "<" id-left "@" id-right ">".
_MESSAGE_ID = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")


@functools.cache
def _host_name() -> str:
    return socket.getfqdn()


def _cheap_make_msgid(idstring: str | None = None, domain: str | None = None) -> str:
    """email.utils.make_msgid with the host's name looked up once, not once a message."""
    return make_msgid(idstring, domain or _host_name())


# Flask-Mail's Message() calls make_msgid(), which asks DNS for this host's name
# (socket.getfqdn) every time: a third of the cost of building a message here, or far
# more with a slow resolver. Every message we send replaces that Message-ID with the row's
# own anyway (docs/architecture.md#the-sender-at-scale).
flask_mail.make_msgid = _cheap_make_msgid  # type: ignore[attr-defined]


class _HeaderClasses(HeaderRegistry):
    """The standard registry, keeping the header classes it makes.

    HeaderRegistry.__getitem__ builds a new class with type() for every header of every
    message; the classes depend only on the header's name, so one per name is enough.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


class InviteMessage(Message):
    """An email of plain text and HTML; with a calendar, also an inline invite and a file.

    With a calendar the MIME is multipart/mixed: a multipart/alternative of text, HTML and,
    last, the text/calendar part, then the same calendar as an invite.ics attachment.
    """

    def __init__(
        self,
        *,
        sender_name: str,
        sender_email: str,
        recipient_email: str,
        subject: str,
        text_body: str,
        html_body: str,
        message_id: str,
        recipient_name: str | None = None,
        calendar: bytes | None = None,
        reply_to: str | None = None,
    ) -> None:
        _refuse_line_breaks(
            sender_name=sender_name,
            sender_email=sender_email,
            recipient_email=recipient_email,
            recipient_name=recipient_name or "",
            subject=subject,
            message_id=message_id,
            reply_to=reply_to or "",
        )
        if not _MESSAGE_ID.fullmatch(message_id):
            raise ValueError(f"message_id must look like <id@domain>, not {message_id!r}")
        # Flask-Mail uses sender and recipients as the SMTP envelope, so they stay bare
        # addresses; the display names only go into the From and To headers.
        super().__init__(
            subject=subject,
            recipients=[recipient_email],
            body=text_body,
            html=html_body,
            sender=sender_email,
            reply_to=reply_to,
        )
        self.msgId = message_id
        self.sender_name = sender_name
        self.recipient_name = recipient_name
        self.calendar = calendar
        self.calendar_method = _calendar_method(calendar) if calendar is not None else None

    def _message(self) -> MIMEMultipart:
        """Return the MIME tree that Flask-Mail's as_bytes() and send() serialise."""
        if self.attachments or self.cc or self.bcc or set(self.alts) != {"html"}:
            # This class only builds the shapes of docs/calendar.md#the-email; refuse
            # these rather than silently drop them.
            raise ValueError("InviteMessage supports no attachments, Cc, Bcc or alts")
        alternative = MIMEMultipart("alternative", policy=HEADER_POLICY, boundary=_boundary())
        alternative.attach(_text_part(self.body or "", subtype="plain"))
        alternative.attach(_text_part(self.html or "", subtype="html"))
        message = alternative
        if self.calendar is not None and self.calendar_method is not None:
            # Gmail's shape: the invite is the last alternative, which Outlook and Apple
            # Mail read, and an attachment too, which Outlook.com and the Gmail app show
            # as "invite.ics" that any calendar can open.
            alternative.attach(_calendar_part(self.calendar, method=self.calendar_method))
            message = MIMEMultipart("mixed", policy=HEADER_POLICY, boundary=_boundary())
            message.attach(alternative)
            message.attach(_calendar_attachment(self.calendar))
        message["From"] = _mailbox(self.sender_name, self.sender)
        message["To"] = _mailbox(self.recipient_name or "", self.recipients[0])
        message["Subject"] = self.subject
        message["Date"] = format_datetime(_sent_at(self.date))
        message["Message-ID"] = self.msgId
        if self.reply_to:
            message["Reply-To"] = _bare(self.reply_to)
        return message


#: policy.SMTP folds headers with CRLF and encodes non-ASCII as RFC 2047 words. At its
#: 78-character limit the standard library folds a long Subject straight after the colon,
#: which mail clients then show with a leading space; RFC 5322 2.1.1 allows lines of up to
#: 998 characters. Only headers are affected: the parts' bodies are already encoded
#: (quoted-printable and base64 lines stay at 76).
HEADER_POLICY = policy.SMTP.clone(max_line_length=998, header_factory=_HeaderClasses())
#: RFC 2045 6.7: quoted-printable lines are at most 76 characters (policy.SMTP allows 78).
BODY_POLICY = policy.SMTP.clone(max_line_length=76, header_factory=_HeaderClasses())


def build_message(
    *,
    sender_name: str,
    sender_email: str,
    recipient_email: str,
    subject: str,
    text_body: str,
    html_body: str,
    message_id: str,
    recipient_name: str | None = None,
    calendar: bytes | None = None,
    calendar_method: str | None = None,
    reply_to: str | None = None,
) -> InviteMessage:
    """Return a message ready for mail.send(); as_bytes() gives the same .eml bytes."""
    message = InviteMessage(
        sender_name=sender_name,
        sender_email=sender_email,
        recipient_email=recipient_email,
        recipient_name=recipient_name,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        message_id=message_id,
        calendar=calendar,
        reply_to=reply_to,
    )
    if calendar_method is not None and calendar_method != message.calendar_method:
        # Exchange rejects an invite whose MIME method differs from METHOD.
        raise ValueError(
            f"calendar_method {calendar_method!r} does not match the calendar's "
            f"METHOD {message.calendar_method!r}"
        )
    return message


def _text_part(text: str, *, subtype: str) -> MIMEPart:
    """Return a UTF-8 text part, quoted-printable so it needs no 8BITMIME."""
    part = MIMEPart(policy=BODY_POLICY)
    # An explicit cte, because importing flask_mail makes the utf-8 charset default 8bit.
    part.set_content(text, subtype=subtype, charset="utf-8", cte="quoted-printable")
    return part


def _calendar_part(calendar: bytes, *, method: str) -> MIMEPart:
    """Return the text/calendar alternative of RFC 6047 section 2.4, with no disposition."""
    part = MIMEPart(policy=BODY_POLICY)
    part.set_content(
        calendar,
        maintype="text",
        subtype="calendar",
        # Base64 keeps the CRLF line endings and 75-octet folding byte for byte.
        cte="base64",
        # Outlook only treats the part as an invite with a method parameter that equals
        # METHOD (Indico fixed exactly this). The library quotes the values, which
        # RFC 2045 section 5.1 makes equivalent to Exchange's unquoted ones.
        params={"method": method, "charset": "UTF-8"},
    )
    return part


def _calendar_attachment(calendar: bytes) -> MIMEPart:
    """Return the calendar again as an attachment, named and typed as Gmail sends it."""
    part = MIMEPart(policy=BODY_POLICY)
    part.set_content(
        calendar,
        maintype="application",
        subtype="ics",
        cte="base64",
        disposition="attachment",
        filename=ATTACHMENT_NAME,
        params={"name": ATTACHMENT_NAME},
    )
    return part


def _boundary() -> str:
    """A multipart boundary that no part can contain, so nothing needs to check.

    Every part is quoted-printable or base64: quoted-printable never writes "=_" (RFC 2045
    6.7 notes it for boundaries) and base64 has no "_". The standard library would
    otherwise make a boundary and search each message for it with a new pattern.
    """
    return f"=_{secrets.token_hex(16)}"


def _calendar_method(calendar: bytes) -> str:
    """Return the calendar's METHOD, refusing calendars that cannot be sent by email."""
    method = str(Calendar.from_ical(calendar).get("METHOD", "")).upper()
    if method not in CALENDAR_METHODS:
        raise ValueError(f"The calendar's METHOD must be one of {sorted(CALENDAR_METHODS)}")
    return method


def _sent_at(date: float | None) -> datetime:
    """Return the Date header's instant: the send time Flask-Mail set, or now."""
    return datetime.fromtimestamp(time.time() if date is None else date, tz=UTC)


def _mailbox(display_name: str, address: str | tuple[str, str]) -> str:
    """Return "Name <address>", quoted as RFC 5322 needs; the policy encodes non-ASCII."""
    return str(Address(display_name=display_name, addr_spec=_bare(address)))


def _bare(address: str | tuple[str, str]) -> str:
    """Return the address part of Flask-Mail's str-or-(name, address) values."""
    return address[1] if isinstance(address, tuple) else address


def _refuse_line_breaks(**values: str) -> None:
    """Raise ValueError when a header value contains CR or LF (header injection)."""
    for name, value in values.items():
        if "\r" in value or "\n" in value:
            raise ValueError(f"{name} must not contain line breaks")
