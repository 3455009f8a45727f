"""Everything about email: what we send, when, and how it reaches people.

The path of an email, top to bottom (docs/architecture.md#the-path-of-an-email):

- `emails`: one function per email queues an outbox row (`outbox.enqueue`) in the
  caller's transaction. `kinds` is the one table of what each email is.
- `sender`: claims due rows and, for each, `rendering` builds the message at send time:
  the templates, the calendar entry (`entries`, `ics`), the sender (`identity`) and the
  MIME shape (`mime`).
- `transport`: hands the message to SMTP (or a .eml file in development).
- `housekeeping`: purging and counting; `cli`: `flask outbox ...`.
"""
