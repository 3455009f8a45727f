"""How fast the outbox empties: N reminders due at once, sent by 1, 2 and 4 senders.

Makes a fresh PostgreSQL database (`flask db upgrade`), books --count people onto one
online event through the app's own functions (the bookings in bulk, their reminder rows
by `emails.reminders_to_attendee`, as a booking queues them), and starts a local SMTP sink
(aiosmtpd in its own process) that counts messages and distinct Message-IDs and throws
the messages away. For each number of senders it puts every reminder back to "due" at the
same instant and starts that many `flask outbox send` processes (each sends until nothing
is due, then exits), and reports messages per second and the time until the last one
reached the sink. With --spread it instead lets the reminders fall due as the app
schedules them (docs/architecture.md#reminders-for-large-events) under `flask outbox send
--forever` and reports how early or late each arrived against its nominal time.

Only 127.0.0.1 is contacted. The database is dropped at the end.
Run: .venv/bin/python scripts/benchmark_outbox.py --count 70000 --senders 1,2,4
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import resource
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import database, free_port  # noqa: E402


class SinkCounters:
    """Shared with the sink process: messages, distinct Message-IDs, first and last time."""

    def __init__(self) -> None:
        self.received: Synchronized[int] = multiprocessing.Value("q", 0)  # type: ignore[assignment]
        self.distinct: Synchronized[int] = multiprocessing.Value("q", 0)  # type: ignore[assignment]
        self.first: Synchronized[float] = multiprocessing.Value("d", 0.0)  # type: ignore[assignment]
        self.last: Synchronized[float] = multiprocessing.Value("d", 0.0)  # type: ignore[assignment]
        self.run: Synchronized[int] = multiprocessing.Value("q", 0)  # type: ignore[assignment]
        self.pid: int | None = None

    def reset(self) -> None:
        for counter in (self.received, self.distinct, self.first, self.last):
            counter.value = 0
        self.run.value += 1


def run_sink(port: int, counters: SinkCounters) -> None:
    """An SMTP server that counts and discards; runs until its process is terminated."""
    from aiosmtpd.controller import Controller

    seen: set[bytes] = set()
    current_run = [counters.run.value]

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            if counters.run.value != current_run[0]:
                current_run[0] = counters.run.value
                seen.clear()
            content: bytes = envelope.original_content or envelope.content
            start = content.find(b"\nMessage-ID:")
            message_id = content[start : content.find(b"\n", start + 1)] if start >= 0 else b""
            now = time.time()
            with counters.received.get_lock():
                if counters.received.value == 0:
                    counters.first.value = now
                counters.received.value += 1
                counters.last.value = now
            if message_id not in seen:
                seen.add(message_id)
                counters.distinct.value += 1
            return "250 2.0.0 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="sink")
    controller.start()
    try:
        asyncio.run(asyncio.sleep(10**9))
    finally:
        controller.stop()


def process_cpu_seconds(pid: int | None) -> float:
    """User and system CPU of a running process, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def smtp_sink() -> Iterator[tuple[int, SinkCounters]]:
    port, counters = free_port(), SinkCounters()
    process = multiprocessing.Process(target=run_sink, args=(port, counters), daemon=True)
    process.start()
    counters.pid = process.pid
    time.sleep(1.0)
    try:
        yield port, counters
    finally:
        process.terminate()
        process.join(timeout=10)


def sender_environment(database_url: str, smtp_port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update(
        FLASK_APP="app.py",
        FLASK_SQLALCHEMY_DATABASE_URI=database_url,
        FLASK_SECRET_KEY=secrets.token_hex(32),
        FLASK_PUBLIC_SITE_URL="https://events.example.org",
        FLASK_MAIL_SERVER="127.0.0.1",
        FLASK_MAIL_PORT=str(smtp_port),
        FLASK_MAIL_USE_TLS="false",
        FLASK_MAIL_DEFAULT_SENDER="events@example.org",
        FLASK_DISCREET_SENDER_EMAIL="bookings@example.net",
    )
    return env


def load(env: dict[str, str], count: int, starts_in: timedelta) -> int:
    """One online event and `count` bookings with their reminders; returns the event id."""
    for key, value in env.items():
        os.environ[key] = value
    from webinar import create_app

    app = create_app()
    with app.app_context():
        return load_bookings(count=count, starts_at_utc=datetime.now(UTC) + starts_in)


def load_bookings(*, count: int, starts_at_utc: datetime) -> int:
    """The bookings in one bulk INSERT, each as new_registration makes it; then their
    reminders queued by the function a booking calls."""
    from sqlalchemy import insert, select

    from webinar.extensions import db
    from webinar.joining.tokens import join_token_for
    from webinar.models import Event, EventFormat, EventStatus, Registration, RegistrationStatus
    from webinar.notifications import emails
    from webinar.registrations.booking_codes import ALPHABET, LENGTH
    from webinar.security import hash_token, manage_token_for

    event = Event(
        slug="staying-safe-online",
        title="Staying safe online: a webinar",
        summary="How to keep your accounts and devices safe.",
        description="A talk and questions.",
        format=EventFormat.ONLINE,
        status=EventStatus.PUBLISHED,
        starts_at_utc=starts_at_utc,
        ends_at_utc=starts_at_utc + timedelta(hours=1, minutes=30),
        joining_link="https://meet.example.org/room",
        hosted_by="The campaign team",
        capacity=count,
        places_taken=count,
    )
    db.session.add(event)
    db.session.flush()
    now, codes, rows = datetime.now(UTC), set(), []
    while len(codes) < count:
        codes.add("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))
    for number, code in enumerate(codes):
        uid = f"{uuid.uuid4()}@booking"
        rows.append(
            {
                "event_id": event.id,
                "calendar_uid": uid,
                "name": f"Person {number}",
                "email": f"person{number}@example.org",
                "status": RegistrationStatus.BOOKED,
                # Some people ask for discreet messages: a different sender and subject.
                "discreet": number % 10 == 0,
                "manage_token_hash": hash_token(manage_token_for(uid)),
                "join_token_hash": hash_token(join_token_for(uid, 0)),
                "booking_code": code,
                "created_at_utc": now,
                "status_changed_at_utc": now,
            }
        )
    db.session.execute(insert(Registration), rows)
    bookings = db.session.scalars(select(Registration).where(Registration.event_id == event.id))
    for registration in bookings:
        emails.reminders_to_attendee(registration)
    db.session.commit()
    return event.id


def all_due_now(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "UPDATE outbox_message SET status = 'due', due_at_utc = now() AT TIME ZONE 'UTC', "
            "attempts = 0, claimed_at_utc = NULL, sent_at_utc = NULL, last_error = NULL "
            "WHERE kind = 'reminder_to_attendee'"
        )
        connection.execute("VACUUM ANALYZE outbox_message")
        connection.execute("VACUUM ANALYZE registration")


def statuses(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT status::text, count(*) FROM outbox_message "
            "WHERE kind = 'reminder_to_attendee' GROUP BY status"
        ).fetchall()
    return {str(status): int(number) for status, number in rows}


def start_senders(
    number: int, env: dict[str, str], *arguments: str
) -> list[subprocess.Popen[bytes]]:
    log = ROOT / "instance" / "bench-outbox-senders.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("ab") as output:
        return [
            subprocess.Popen(  # noqa: S603 - our own command line
                [str(BIN / "flask"), "outbox", "send", *arguments],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=output,
            )
            for _ in range(number)
        ]


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_cpu_seconds(url: str) -> float:
    """CPU of PostgreSQL's ended backends (the postmaster's reaped children), if readable."""
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT pg_backend_pid()").fetchone()
        assert row is not None
        try:  # while the backend is alive, to find its parent
            backend = Path(f"/proc/{row[0]}/stat").read_text().rsplit(")", 1)[1].split()
            postmaster = Path(f"/proc/{backend[1]}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
    # Fields 16 and 17 of /proc/<pid>/stat (cutime, cstime), in clock ticks.
    return (int(postmaster[13]) + int(postmaster[14])) / os.sysconf("SC_CLK_TCK")


def at_once(url: str, env: dict[str, str], counters: SinkCounters, senders: int) -> str:
    """Every reminder due now; `senders` one-shot senders; how long until all arrived."""
    all_due_now(url)
    counters.reset()
    cpu_before, postgres_before = children_cpu_seconds(), postgres_cpu_seconds(url)
    sink_before = process_cpu_seconds(counters.pid)
    started = time.time()
    processes = start_senders(senders, env)
    for process in processes:
        process.wait()
    finished = time.time()
    received = counters.received.value
    rate = (received - 1) / (counters.last.value - counters.first.value) if received > 1 else 0
    counts = statuses(url)
    sender_cpu = (children_cpu_seconds() - cpu_before) / max(received, 1) * 1000
    postgres_cpu = (postgres_cpu_seconds(url) - postgres_before) / max(received, 1) * 1000
    sink_cpu = (process_cpu_seconds(counters.pid) - sink_before) / max(received, 1) * 1000
    return (
        f"| {senders} | {received} | {counters.distinct.value} | {counts.get('sent', 0)} | "
        f"{rate:.0f} | {counters.last.value - started:.1f} | {finished - started:.1f} | "
        f"{sender_cpu:.1f} | {postgres_cpu:.1f} | {sink_cpu:.1f} |"
    )


def spread(url: str, env: dict[str, str], counters: SinkCounters, senders: int) -> str:
    """Reminders falling due as scheduled; report arrival against the nominal time."""
    counters.reset()
    with psycopg.connect(url, autocommit=True) as connection:
        nominal = connection.execute(
            "SELECT starts_at_utc - interval '1 hour', count(*), min(due_at_utc) "
            "FROM event JOIN outbox_message ON outbox_message.event_id = event.id "
            "GROUP BY starts_at_utc"
        ).fetchone()
    assert nominal is not None
    nominal_at, total, first_due = nominal
    print(f"{total} reminders due from {first_due} to {nominal_at} (nominal)", flush=True)
    processes = start_senders(senders, env, "--forever")
    try:
        while statuses(url).get("sent", 0) < total:
            time.sleep(2)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT min(sent_at_utc - %s), max(sent_at_utc - %s), "
            "max(sent_at_utc - due_at_utc) FROM outbox_message WHERE status = 'sent'",
            (nominal_at, nominal_at),
        ).fetchone()
    assert row is not None
    first, last, wait = (moment.total_seconds() for moment in row)
    return (
        f"{senders} senders: {counters.received.value} received "
        f"({counters.distinct.value} distinct); against the nominal time the first arrived "
        f"at {first:+.1f} s, the last at {last:+.1f} s; longest wait after falling due "
        f"{wait:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--count", type=int, default=5000, help="bookings (one reminder each)")
    parser.add_argument("--senders", default="1,2,4", help="numbers of sender processes")
    parser.add_argument(
        "--spread", action="store_true", help="let reminders fall due as scheduled instead"
    )
    args = parser.parse_args()
    senders = [int(number) for number in args.senders.split(",")]
    load_before = os.getloadavg()
    with database(args.postgres) as url, smtp_sink() as (port, counters):
        env = sender_environment(url.replace("postgresql://", "postgresql+psycopg://"), port)
        subprocess.run(  # noqa: S603 - our own command line
            [str(BIN / "flask"), "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        started = time.perf_counter()
        # At once: the event is 2 hours away, so only its 1-hour reminder is queued.
        # Spread: the 1-hour reminders' window (capacity / REMINDERS_PER_SECOND, at most
        # 15 minutes) opens just after loading ends.
        per_second = float(os.environ.get("FLASK_REMINDERS_PER_SECOND", 100))
        window = min(args.count / per_second, 900) if per_second > 0 else 0
        lead = timedelta(seconds=window + 30 + args.count / 1000)
        starts_in = timedelta(hours=2) if not args.spread else timedelta(hours=1) + lead
        context = multiprocessing.get_context("spawn")
        with context.Pool(1) as pool:
            pool.apply(load, (env, args.count, starts_in))
        print(f"Loaded {args.count} bookings in {time.perf_counter() - started:.1f} s", flush=True)
        rows = []
        # Spread: the reminders fall due once, so one run, with the most senders.
        for number in [max(senders)] if args.spread else senders:
            if args.spread:
                rows.append(spread(url, env, counters, number))
            else:
                rows.append(at_once(url, env, counters, number))
            print(rows[-1], flush=True)
    print(
        f"\n{platform.node()}: {os.cpu_count()} cores, {platform.python_version()}, "
        f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
        f"{args.count} reminders\n"
    )
    if not args.spread:
        print(
            "| senders | received | distinct Message-IDs | rows sent | messages/s "
            "| last arrived (s) | senders exited (s) | sender CPU ms/message "
            "| PostgreSQL CPU ms/message | SMTP sink CPU ms/message |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
