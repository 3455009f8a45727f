"""Organiser pages and jobs with 100 and with 100,000 bookings in one event.

Makes a fresh PostgreSQL database (`flask db upgrade`), adds an organiser, a small event
and a large one (in progress, so check-in and attendance apply), and loads their bookings
with COPY: 96% booked (30% of them checked in), 3% waiting, 1% cancelled, each with an
answer to the event's form question and a sent confirmation email. Registration times
spread over the last 30 days.

Each measurement runs in its own Python process, signed in as an organiser through the
Flask test client: one request to the small event first (imports, template compilation),
then the small event's timings, then the large event's, with the process's peak resident
memory growth (VmHWM, reset just before, against VmRSS then). Response bodies are read
in chunks and counted, never kept. The dashboard's small figure is taken before the large
event's bookings exist (it counts every event). Purging runs `flask purge-personal-data`
in-process after moving the event's end 40 days back, small event first.

Times are medians of --repeat runs (fewer when a run is slow), wall-clock and the app
process's CPU time (PostgreSQL's is not in it). Results: docs/benchmarks.md. The database
is dropped at the end. Only the given PostgreSQL server is contacted.
Run: .venv/bin/python scripts/benchmark_organisers.py [--bookings 100000]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmark import database  # scripts/benchmark.py: a throwaway PostgreSQL database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_NAMES = "Ann Bob Cat Dee Eve Fay Gus Hal Ivy Jon Kim Lee Max Ned Oli Pat Raj Sam Tia Uma"
SURNAME_TEXT = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Green Hall Wood "
    "Clarke Hughes Edwards Okafor Murphy Kaur Ahmed Lewis Walker Evans Roberts Thompson "
    "White Harris Martin Jackson Khan Ali Scott Young Allen King Baker Turner Hill Moore "
    "Cooper Ward Morris Carter Phillips Nowak Kowalski Begum Shah Price Bell"
)
SURNAMES = SURNAME_TEXT.split()
SEARCH = "Okafor"  # one surname in fifty
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
NOW = datetime.now(UTC).replace(microsecond=0)
NEXT_FROM_MIDDLE = "attendee list, middle page (Next from page N/2)"
#: What is measured on both events; {id} is the event.
PAGES = {
    "attendee list, page 1": "/organisers/events/{id}/attendees",
    "attendee list, last page": "/organisers/events/{id}/attendees?page=999999",
    # Where the middle page's Next link goes (see `address`), read before timing it.
    NEXT_FROM_MIDDLE: "/organisers/events/{id}/attendees",
    "attendee search (a surname)": f"/organisers/events/{{id}}/attendees?q={SEARCH}",
    "check-in page": "/organisers/check-in/{id}",
    "check-in search (a surname)": f"/organisers/check-in/{{id}}?q={SEARCH}",
    "CSV export": "/organisers/events/{id}/attendees.csv",
    "XLSX export": "/organisers/events/{id}/attendees.xlsx",
}


def app_config(url: str) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "benchmark-secret-key-long-enough-for-signing",
        "RATELIMIT_ENABLED": False,
        "MAIL_SUPPRESS_SEND": True,
        "PUBLIC_SITE_URL": "http://127.0.0.1:8000",
    }


def make_app(url: str) -> Any:
    from webinar import create_app

    return create_app(app_config(url))


# --- data -------------------------------------------------------------------------------


def booking_code(number: int) -> str:
    return "".join(ALPHABET[(number >> (5 * place)) & 31] for place in range(8))


def set_up(url: str, small: int) -> dict[str, int]:
    """The organiser, both events and their form question; the small event's bookings."""
    from webinar.extensions import db
    from webinar.models import (
        AnswerKind,
        Event,
        EventFormat,
        EventStatus,
        FormQuestion,
        Organiser,
        OrganiserRole,
    )

    app = make_app(url)
    with app.app_context():
        organiser = Organiser(
            email="bench@police.example",
            password_hash="not-a-password-hash",  # noqa: S106 - nobody signs in with it
            role=OrganiserRole.ORGANISER,
            totp_secret=secrets.token_hex(10),
            totp_confirmed_at_utc=NOW,
        )
        db.session.add(organiser)
        ids = {"organiser": 0}
        for size in ("small", "large"):
            event = Event(
                slug=f"bench-{size}",
                title=f"Benchmark ({size})",
                summary="s",
                description="d",
                format=EventFormat.IN_PERSON,
                status=EventStatus.PUBLISHED,
                starts_at_utc=NOW - timedelta(minutes=30),
                ends_at_utc=NOW + timedelta(hours=2),
                venue="Hall",
                hosted_by="SPIU",
                capacity=1,
            )
            db.session.add(event)
            db.session.flush()
            db.session.add(
                FormQuestion(
                    event_id=event.id,
                    text="How did you hear about this?",
                    kind=AnswerKind.CHOICE,
                    choices="Radio\nA friend\nSocial media",
                )
            )
            ids[size] = event.id
        db.session.commit()
        ids["organiser"] = organiser.id
        load_bookings(ids["small"], small)
        db.engine.dispose()
    return ids


def load_bookings(event_id: int, count: int) -> None:
    """COPY the bookings in, then their answers and emails with INSERT ... SELECT."""
    from webinar.extensions import db

    booked = count * 96 // 100
    waiting = count * 3 // 100
    columns = (
        "event_id, calendar_uid, name, email, status, accessibility_needs, discreet, "
        "no_calendar, no_reminders, manage_token_hash, calendar_sequence, created_at_utc, "
        "status_changed_at_utc, cancelled_at_utc, attended_at_utc, added_by_organiser, "
        "booking_code, join_token_hash, join_token_version"
    )
    buffer = io.StringIO()
    for number in range(count):
        created = NOW - timedelta(days=30) + timedelta(seconds=number * 2_592_000 // count)
        status = (
            "booked"
            if number < booked
            else "waiting"
            if number < booked + waiting
            else ("cancelled")
        )
        first = FIRST_NAMES.split()[number % 20]
        surname = SURNAMES[number // 20 % len(SURNAMES)]
        attended = created.isoformat() if status == "booked" and number % 10 < 3 else "\\N"
        fields = (
            event_id,
            f"bench-{event_id}-{number}",
            f"{first} {surname}",
            f"person{number}@example.org",
            status,
            "Step-free access" if number % 25 == 0 else "\\N",
            "t" if number % 40 == 0 else "f",
            "f",
            "f",
            f"{event_id:08x}{number:056x}",
            0,
            created.replace(tzinfo=None).isoformat(),
            created.replace(tzinfo=None).isoformat(),
            created.replace(tzinfo=None).isoformat() if status == "cancelled" else "\\N",
            attended.replace("+00:00", ""),
            "f",
            booking_code(number),
            f"{event_id:08x}{number:055x}j",
            0,
        )
        buffer.write("\t".join(str(field) for field in fields) + "\n")
    connection = db.engine.raw_connection()
    try:
        cursor = connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY registration ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            "UPDATE event SET capacity = %s, places_taken = %s WHERE id = %s",
            (booked, booked, event_id),
        )
        cursor.execute(
            "INSERT INTO form_answer (registration_id, question_id, value) "
            "SELECT r.id, q.id, (ARRAY['Radio', 'A friend', 'Social media'])[1 + r.id %% 3] "
            "FROM registration r JOIN form_question q ON q.event_id = r.event_id "
            "WHERE r.event_id = %s",
            (event_id,),
        )
        cursor.execute(
            "INSERT INTO outbox_message (kind, registration_id, event_id, recipient, status, "
            "due_at_utc, attempts, sent_at_utc, message_id, created_at_utc) "
            "SELECT 'booking_confirmed_to_attendee', id, event_id, email, 'sent', "
            "created_at_utc, 1, created_at_utc, 'bench-' || id || '@example.org', "
            "created_at_utc FROM registration WHERE event_id = %s",
            (event_id,),
        )
        connection.commit()
    finally:
        connection.close()


def vacuum(url: str) -> None:
    """What autovacuum does soon after a load: statistics and the visibility map."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


# --- measuring, in a process of its own -----------------------------------------------


def memory_status(field: str) -> int:
    """VmRSS (resident now) or VmHWM (its peak) of this process, in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    raise SystemExit(f"no {field} in /proc/self/status")


def start_peak() -> int:
    """The resident size now, with the peak reset to it where Linux allows.

    Not getrusage's ru_maxrss: Linux carries it over from the parent across fork and exec,
    so a child would report the benchmark's own peak.
    """
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM (Linux 4.0 and later)
    except OSError:
        pass
    return memory_status("VmRSS")


def peak_growth(before: int) -> int:
    return max(memory_status("VmHWM") - before, 0)


def signed_in_client(app: Any, organiser_id: int) -> Any:
    """What a real sign-in leaves in the session (as tests/organisers/conftest.py does)."""
    from webinar.extensions import db
    from webinar.models import Organiser
    from webinar.organisers.login import (
        SESSION_RECORD_KEY,
        SESSION_VERSION_KEY,
        open_session_record,
        session_version,
    )

    client = app.test_client()
    with app.app_context():
        organiser = db.session.get(Organiser, organiser_id)
        token = open_session_record(organiser)
        db.session.commit()
        version = session_version(organiser)
    with client.session_transaction() as session:
        session["_user_id"] = str(organiser_id)
        session[SESSION_VERSION_KEY] = version
        session[SESSION_RECORD_KEY] = token
        session["_fresh"] = True
    return client


class Failed(Exception):
    """The page or download did not work: shown in the table instead of a time."""


def fetch(client: Any, path: str) -> tuple[float, int]:
    """Seconds for the whole response, body read in chunks; and its size in bytes."""
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    took = time.perf_counter() - started
    if response.status_code != 200:
        raise Failed(f"answered {response.status_code}")
    return took, size


def timed(run: Any, repeat: int) -> tuple[float, float]:
    """Medians of up to `repeat` runs, wall-clock and this process's CPU time (which the
    machine's load moves less); stops early once the runs have taken 6 s."""
    times: list[float] = []
    cpu: list[float] = []
    while len(times) < repeat and sum(times) < 6:
        started = time.process_time()
        times.append(run())
        cpu.append(time.process_time() - started)
    return statistics.median(times), statistics.median(cpu)


def address(client: Any, what: str, event_id: int) -> str:
    """The address measured; for Next from the middle, the href of that page's Next link
    (a cursor naming its last row), as an organiser paging on from there follows it."""
    path = PAGES.get(what, "/organisers/").format(id=event_id)
    if what != NEXT_FROM_MIDDLE:
        return path
    first = client.get(path).get_data(as_text=True)
    pages = re.search(r"Page 1 of (\d+)", first)
    middle_page = max(int(pages.group(1)) // 2, 1) if pages else 1
    middle = client.get(f"{path}?page={middle_page}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" rel="next"', middle)
    if link is None:
        raise SystemExit(f"no Next link on page {middle_page} of {path}")
    return html.unescape(link.group(1))


def measure(args: argparse.Namespace) -> dict[str, Any]:
    app = make_app(args.database)
    client = signed_in_client(app, args.organiser)
    ids = {"small": args.small_event, "large": args.large_event}
    result: dict[str, Any] = {}
    sizes = [size for size in ("small", "large") if ids[size]]
    if args.measure == "purge":
        return purge(app, args.event, "large" if args.large_event else "small")
    paths = {size: address(client, args.measure, ids[size]) for size in sizes}
    fetch(client, paths[sizes[0]])  # imports, templates, first connection
    for size in sizes:
        before = start_peak()
        try:
            result[size], result[f"{size}_cpu"] = timed(
                lambda size=size: fetch(client, paths[size])[0], args.repeat
            )
            result[f"{size}_bytes"] = fetch(client, paths[size])[1]
        except Failed as failure:
            result[f"{size}_error"] = str(failure)
        result[f"{size}_memory"] = peak_growth(before)
    return result


def purge(app: Any, event_id: int, size: str) -> dict[str, Any]:
    from sqlalchemy import text

    from webinar.extensions import db

    with app.app_context():
        db.session.execute(
            text("UPDATE event SET starts_at_utc = :start, ends_at_utc = :end WHERE id = :id"),
            {
                "start": (NOW - timedelta(days=41)).replace(tzinfo=None),
                "end": (NOW - timedelta(days=40)).replace(tzinfo=None),
                "id": event_id,
            },
        )
        db.session.commit()
        db.engine.dispose()
    before = start_peak()
    started, cpu = time.perf_counter(), time.process_time()
    with app.app_context():  # as `flask` gives its commands
        invoked = app.test_cli_runner().invoke(args=["purge-personal-data"])
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    with app.app_context():
        left = db.session.scalar(
            text(
                "SELECT count(*) FROM registration WHERE event_id = :id "
                "AND email NOT LIKE '%@deleted.invalid'"
            ),
            {"id": event_id},
        )
    if left:
        raise SystemExit(f"purge left {left} bookings: {invoked.output} {invoked.exception!r}")
    return {size: took, f"{size}_cpu": cpu, f"{size}_memory": peak_growth(before)}


def run_measurement(args: argparse.Namespace, what: str, **ids: int) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--measure",
        what,
        "--database",
        args.url,
        "--organiser",
        str(args.ids["organiser"]),
        "--repeat",
        str(args.repeat),
    ]
    command += [
        part for key, value in ids.items() for part in (f"--{key}".replace("_", "-"), str(value))
    ]
    finished = subprocess.run(  # noqa: S603 - this script, with our own arguments
        command, capture_output=True, text=True, cwd=ROOT
    )
    if finished.returncode:
        raise SystemExit(f"measuring {what} failed:\n{finished.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


# --- the run --------------------------------------------------------------------------


def row(what: str, result: dict[str, Any]) -> str:
    def shown(size: str) -> str:
        seconds = result.get(size)
        return f"{seconds * 1000:.0f} ms" if seconds else f"fails ({result.get(f'{size}_error')})"

    small, large = result.get("small"), result.get("large")
    ratio = f"{large / small:.1f}" if small and large else "–"
    cpu = f"{result['large_cpu'] * 1000:.0f} ms" if "large_cpu" in result else "–"
    mb = result.get("large_memory", 0) / 2**20
    size = result.get("large_bytes", 0) / 2**20
    body = f"{size:.1f} MB" if size >= 0.1 else "–"
    return (
        f"| {what} | {shown('small')} | {shown('large')} | {ratio} | {cpu} | +{mb:.0f} MB "
        f"| {body} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL server to make a throwaway database on",
    )
    parser.add_argument("--bookings", type=int, default=100_000, help="in the large event")
    parser.add_argument("--small", type=int, default=100, help="bookings in the small event")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (median)")
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        help='measure only these: dashboard, purge, or a row\'s name ("CSV export")',
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    for hidden in ("--database",):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    for hidden in ("--organiser", "--small-event", "--large-event", "--event"):
        parser.add_argument(hidden, type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args)))
        return
    load = os.getloadavg()
    # Not split on commas: row names have them ("attendee list, page 1").
    wanted = [name for name in args.only if name]
    results: dict[str, dict[str, Any]] = {}
    with database(args.postgres) as plain_url:
        args.url = plain_url.replace("postgresql://", "postgresql+psycopg://")
        env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
        env.update(
            FLASK_APP="app.py",
            FLASK_SQLALCHEMY_DATABASE_URI=args.url,
            FLASK_SECRET_KEY=app_config(args.url)["SECRET_KEY"],
            FLASK_PUBLIC_SITE_URL=app_config(args.url)["PUBLIC_SITE_URL"],
        )
        subprocess.run(  # noqa: S603 - our own command line
            [str(Path(sys.executable).parent / "flask"), "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        args.ids = ids = set_up(args.url, args.small)
        vacuum(args.url)
        if not wanted or "dashboard" in wanted:
            results["dashboard"] = run_measurement(args, "dashboard", small_event=ids["small"])
        started = time.perf_counter()
        app = make_app(args.url)
        with app.app_context():
            load_bookings(ids["large"], args.bookings)
        vacuum(args.url)
        loaded = time.perf_counter() - started
        print(f"loaded {args.bookings} bookings in {loaded:.1f} s", file=sys.stderr)
        if not wanted or "dashboard" in wanted:
            results["dashboard"].update(
                run_measurement(args, "dashboard", large_event=ids["large"])
            )
        for what in PAGES:
            if not wanted or what in wanted:
                print(f"measuring {what}", file=sys.stderr)
                results[what] = run_measurement(
                    args, what, small_event=ids["small"], large_event=ids["large"]
                )
        if not wanted or "purge" in wanted:
            results["purge-personal-data"] = run_measurement(args, "purge", event=ids["small"])
            results["purge-personal-data"].update(
                run_measurement(args, "purge", event=ids["large"], large_event=ids["large"])
            )
    print(
        f"\n{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
        f"{args.small} and {args.bookings} bookings; median of up to {args.repeat} runs\n"
    )
    print(
        f"| what | {args.small} | {args.bookings:,} | ratio | {args.bookings:,}: CPU "
        f"| {args.bookings:,}: memory growth | {args.bookings:,}: body |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for what, result in results.items():
        print(row(what, result))


if __name__ == "__main__":
    main()
