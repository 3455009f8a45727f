"""Does registering a new address take as long as repeating a registered one?

A third party must not learn from the answer, or its timing, whether an address is
already registered (docs/safety.md#response-timing). This measures the server side of
both paths through the Flask test client on a real SQLite file (and PostgreSQL with
--postgres), and prints the medians and their ratio.
Run: .venv/bin/python scripts/benchmark_registration_timing.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from webinar import create_app
from webinar.extensions import db
from webinar.models import Event, EventFormat, EventStatus, utc_now


def make_app(database_uri: str, floor_ms: int):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "REGISTRATION_MINIMUM_RESPONSE_MS": floor_ms,
            "TESTING": True,
            "SECRET_KEY": "benchmark-secret-key-long-enough-for-the-check",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )


def add_event() -> str:
    from datetime import timedelta

    starts = utc_now() + timedelta(days=7)
    event = Event(
        slug="benchmark",
        title="Benchmark",
        summary="s",
        description="d",
        format=EventFormat.ONLINE,
        status=EventStatus.PUBLISHED,
        starts_at_utc=starts,
        ends_at_utc=starts + timedelta(hours=1),
        hosted_by="h",
        capacity=100_000,
    )
    db.session.add(event)
    db.session.commit()
    return event.slug


def timed_posts(client, slug: str, emails: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for email in emails:
        started = time.perf_counter()
        response = client.post(
            f"/events/{slug}/register", data={"name": "A", "email": email, "consent": "y"}
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
    return times


def measure(database_uri: str, rounds: int, floor_ms: int) -> tuple[float, float]:
    app = make_app(database_uri, floor_ms)
    with app.app_context():
        db.drop_all()
        db.create_all()
        slug = add_event()
        client = app.test_client()
        timed_posts(client, slug, ["warm-up@example.com", "owner@example.com"])
        new, repeat = [], []
        # Interleave so that any drift affects both paths alike.
        for number in range(rounds):
            new += timed_posts(client, slug, [f"new{number}@example.com"])
            repeat += timed_posts(client, slug, ["owner@example.com"])
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return statistics.median(new), statistics.median(repeat)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--floor-ms", type=int, default=100, help="the configured floor")
    parser.add_argument("--postgres", default="", help="e.g. postgresql://postgres@127.0.0.1/test")
    args = parser.parse_args()
    targets = []
    with tempfile.TemporaryDirectory() as folder:
        targets.append(("SQLite (file, WAL)", f"sqlite:///{folder}/benchmark.sqlite"))
        if args.postgres:
            schema = "benchmark_timing"
            engine = create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://"))
            with engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            targets.append(("PostgreSQL", f"{args.postgres}?options=-csearch_path%3D{schema}"))
        for name, uri in targets:
            for floor_ms in (0, args.floor_ms):
                new, repeat = measure(uri, args.rounds, floor_ms)
                print(
                    f"{name}, floor {floor_ms} ms: median new address {new:.2f} ms, "
                    f"repeated address {repeat:.2f} ms, ratio {new / repeat:.3f} "
                    f"({args.rounds} of each)"
                )
        if args.postgres:
            with engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


if __name__ == "__main__":
    main()
