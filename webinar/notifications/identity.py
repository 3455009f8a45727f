"""Who our emails and calendar entries say they come from."""

from __future__ import annotations

from flask import current_app


def sender_for(*, discreet: bool) -> tuple[str, str]:
    """The display name and address for From and ORGANIZER.

    Neutral ones for discreet messages (docs/safety.md#discreet-messages).
    """
    config = current_app.config
    if discreet:
        address = config["DISCREET_SENDER_EMAIL"] or config["MAIL_DEFAULT_SENDER"]
        return str(config["DISCREET_SENDER_NAME"]), str(address)
    return str(config["MAIL_SENDER_NAME"]), str(config["MAIL_DEFAULT_SENDER"])
