"""`make bench`: the site under its production server settings against a minimal Flask app.

Makes a fresh PostgreSQL database with the demo data (`flask db upgrade`, `flask
demo-data`), starts the app with gunicorn.conf.py and scripts/bench_minimal_app.py with the
same settings on two loopback ports, and drives both in the same run, one after the other
for each scenario, with a thread pool of keep-alive HTTP connections (scripts/bench_load.py).
Prints requests per second, p50 and p99 for each, the app's share of the minimal app's
throughput, errors, and the issue's target for each. Then the burst scenario
(scripts/bench_burst.py): the home page's latency idle and during a rush of registrations.
With --registration-pool N the rush goes to a second server of N workers, as nginx routing
the register route to its own pool does (deploy/nginx/webinar.conf).

Bounded: each scenario runs for --seconds or --requests, whichever ends first. Only
127.0.0.1 is ever contacted. The database is dropped at the end.
Run: make bench (or .venv/bin/python scripts/benchmark.py --help; --quick for a short run)
"""

from __future__ import annotations

import argparse
import os
import platform
import runpy
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
from bench_burst import home_page_during_burst
from bench_burst import report as burst_report
from bench_load import Result, Scenario, Visitor, drive, new_registrant, page, registration

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    name = f"webinar_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server(app: str, port: int, env: dict[str, str], log: Path) -> Iterator[None]:
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
    command += ["--pythonpath", str(ROOT / "scripts"), "--bind", f"127.0.0.1:{port}", app]
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=output
        )
    try:
        wait_until_up(port, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=40)


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} stopped: see its log")
        try:
            Visitor(port).request("GET", "/")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn on port {port} did not start")


def prepare(database_url: str, env: dict[str, str]) -> str:
    """Schema and demo data; returns an open event's slug, with room for every booking."""
    for command in (["db", "upgrade"], ["demo-data"]):
        subprocess.run(  # noqa: S603 - our own command line
            [str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT slug FROM event WHERE status = 'published' AND starts_at_utc > now() "
            "ORDER BY capacity DESC LIMIT 1"
        ).fetchone()
        assert row is not None, "the demo data has no upcoming event"
        connection.execute("UPDATE event SET capacity = 1000000 WHERE slug = %s", (row[0],))
        return str(row[0])


def app_environment(database_url: str, floor_ms: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update(
        FLASK_APP="app.py",
        FLASK_SQLALCHEMY_DATABASE_URI=database_url,
        FLASK_SECRET_KEY=secrets.token_hex(32),
        FLASK_PUBLIC_SITE_URL="http://127.0.0.1:8000",
        FLASK_SESSION_COOKIE_SECURE="false",
        # One loopback address makes every request: a per-address limit would refuse them.
        FLASK_RATELIMIT_ENABLED="false",
        FLASK_REGISTRATION_MINIMUM_RESPONSE_MS=str(floor_ms),
    )
    return env


#: The issue's targets (in the benchmark, not in timed tests): (least ratio, most p99 ratio).
TARGETS: dict[str, tuple[float | None, float | None]] = {
    "home page": (0.5, None),
    "event page": (0.5, None),
    "registration (GET + POST)": (0.15, 6.0),
}


def scenarios(slug: str) -> dict[str, tuple[Scenario, Scenario]]:
    return {
        "home page": (page("/"), page("/")),
        "event page": (page(f"/events/{slug}"), page("/")),
        "feed (calendar.ics)": (page("/calendar.ics"), page("/")),
        "registration form (GET)": (page(f"/events/{slug}/register"), page("/")),
        "registration (GET + POST)": (
            registration(f"/events/{slug}/register", new_registrant()),
            registration("/", dict),
        ),
    }


def target(name: str, ratio: float, p99_ratio: float, errors: int) -> str:
    least, most = TARGETS.get(name, (None, None))
    parts = [f"ratio ≥ {least}"] if least is not None else []
    met = (least is None or ratio >= least) and (most is None or p99_ratio <= most)
    if most is not None:
        parts.append(f"p99 ≤ {most:g}×")
    parts.append("no errors")
    return f"{', '.join(parts)}: {'met' if met and errors == 0 else 'NOT met'}"


def report(name: str, app: Result, minimal: Result) -> str:
    ratio = app.rate / minimal.rate if minimal.rate else float("nan")
    p99_ratio = app.percentile(0.99) / minimal.percentile(0.99)
    errors = app.errors + minimal.errors
    return (
        f"| {name} | {app.rate:.0f} | {minimal.rate:.0f} | {ratio:.2f} | "
        f"{app.percentile(0.5):.1f} | {app.percentile(0.99):.1f} | "
        f"{minimal.percentile(0.99):.1f} | {p99_ratio:.1f} | {errors} | "
        f"{target(name, ratio, p99_ratio, errors)} |"
    )


def run_burst(
    args: argparse.Namespace,
    env: dict[str, str],
    slug: str,
    app_port: int,
    minimal_port: int,
    logs: Path,
) -> list[str]:
    """The burst, its registrations sent to the app's server or to a pool of their own."""
    form = f"/events/{slug}/register"
    with ExitStack() as stack:
        registration_port = app_port
        if args.registration_pool:
            registration_port = free_port()
            pool_env = {**env, "GUNICORN_WORKERS": str(args.registration_pool)}
            log = logs / "bench-registrations.log"
            stack.enter_context(server("app:app", registration_port, pool_env, log))
            if args.warm_up:
                # As the scenarios' server was: a pool that has served nobody yet would
                # time its own start-up, not the burst.
                scenario = registration(form, new_registrant())
                drive(registration_port, scenario, args.registrants, args.warm_up, 10**6)
        result = home_page_during_burst(
            app_port,
            minimal_port,
            form,
            args.registrants,
            args.burst_seconds,
            registration_port=registration_port,
        )
    return burst_report(result)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--seconds", type=float, default=8.0, help="per scenario and app")
    parser.add_argument("--requests", type=int, default=5000, help="per scenario and app")
    parser.add_argument("--threads", type=int, default=16, help="simultaneous visitors")
    parser.add_argument("--floor-ms", type=int, default=100, help="registration timing floor")
    parser.add_argument("--only", nargs="*", default=None, help="scenario names to run")
    parser.add_argument("--registrants", type=int, default=24, help="in the burst; 0: no burst")
    parser.add_argument("--burst-seconds", type=float, default=8.0)
    parser.add_argument(
        "--gunicorn-threads", type=int, default=0, help="GUNICORN_THREADS for both servers"
    )
    parser.add_argument(
        "--booking-concurrency",
        type=int,
        default=None,
        help="FLASK_BOOKING_CONCURRENCY for the app (default: the app's own, 2; 0: no limit)",
    )
    parser.add_argument(
        "--registration-pool",
        type=int,
        default=0,
        help="workers of a separate server for the burst's registrations, as a load "
        "balancer routing /events/*/register to its own pool would (0: the same server)",
    )
    parser.add_argument(
        "--warm-up",
        type=float,
        default=2.0,
        help="seconds each scenario runs on both apps, unmeasured, before it is measured",
    )
    parser.add_argument("--quick", action="store_true", help="2 s per scenario, 3 s burst")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.burst_seconds = 2.0, 3.0
    return args


def main() -> None:
    args = arguments()
    load = os.getloadavg()
    rows: list[str] = []
    burst: list[str] = []
    with database(args.postgres) as url:
        env = app_environment(url.replace("postgresql://", "postgresql+psycopg://"), args.floor_ms)
        if args.gunicorn_threads:
            env["GUNICORN_THREADS"] = str(args.gunicorn_threads)
        if args.booking_concurrency is not None:
            env["FLASK_BOOKING_CONCURRENCY"] = str(args.booking_concurrency)
        slug = prepare(url, env)
        app_port, minimal_port = free_port(), free_port()
        # The site's own address: public pages are cached only for requests to it.
        env["FLASK_PUBLIC_SITE_URL"] = f"http://127.0.0.1:{app_port}"
        logs = ROOT / "instance"
        logs.mkdir(exist_ok=True)
        with (
            server("app:app", app_port, env, logs / "bench-app.log"),
            server("bench_minimal_app:app", minimal_port, env, logs / "bench-minimal.log"),
        ):
            for name, (ours, yardstick) in scenarios(slug).items():
                if args.only is not None and name not in args.only:
                    continue
                limits = (args.threads, args.seconds, args.requests)
                results = []
                for port, scenario in ((minimal_port, yardstick), (app_port, ours)):
                    if args.warm_up:
                        # Both apps alike: the first requests of a new worker import,
                        # compile templates and open connections, which a launch-day
                        # surge meets warm. Measured straight after, with no pause: a
                        # pause would let autovacuum tidy the event's row, which a rush
                        # does not (docs/benchmarks.md#a-few-registrations-at-a-time).
                        drive(port, scenario, args.threads, args.warm_up, args.requests)
                    results.append(drive(port, scenario, *limits))
                minimal, app = results
                rows.append(report(name, app, minimal))
                print(rows[-1], flush=True)
            if args.registrants:
                burst = run_burst(args, env, slug, app_port, minimal_port, logs)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    threads = env.get("GUNICORN_THREADS", settings["threads"])
    workers = settings["workers"]
    # Each visitor waits out the floor before its next registration.
    cap = args.threads * 1000 / args.floor_ms if args.floor_ms else float("inf")
    print(
        f"\n{platform.node()}: {os.cpu_count()} cores, {platform.python_version()}, "
        f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
        f"{args.threads} visitors, {args.seconds:g} s or {args.requests} requests each, "
        f"floor {args.floor_ms} ms (so at most {cap:.0f} registrations/s), {args.warm_up:g} s "
        f"warm-up; gunicorn: {workers} workers x {threads} threads; registration turns per "
        f"worker: {env.get('FLASK_BOOKING_CONCURRENCY', 'default')}\n"
    )
    print(
        "| scenario | app req/s | minimal req/s | ratio | app p50 ms | app p99 ms "
        "| minimal p99 ms | p99 ratio | errors | target |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if burst:
        print("\n" + "\n".join(burst))


if __name__ == "__main__":
    main()
