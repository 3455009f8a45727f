"""`make bench`: the site under its production server settings against a minimal Flask app.

Makes a fresh PostgreSQL database with the demo data (`flask db upgrade`, `flask
demo-data`), starts the app with gunicorn.conf.py and scripts/bench_minimal_app.py with the
same settings on two loopback ports, and drives both in the same run, one after the other
for each scenario, with a thread pool of keep-alive HTTP connections. Prints requests per
second, p50 and p99 for each, and the app's share of the minimal app's throughput.

Bounded: each scenario runs for --seconds or --requests, whichever ends first. Only
127.0.0.1 is ever contacted. The database is dropped at the end.
Run: make bench (or .venv/bin/python scripts/benchmark.py --help)
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


class Visitor:
    """One keep-alive connection with its own cookies, like one browser."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, text


Scenario = Callable[[Visitor], bool]


def page(path: str) -> Scenario:
    def run(visitor: Visitor) -> bool:
        return visitor.request("GET", path)[0] == 200

    return run


def registration(form_path: str, fields: Callable[[], dict[str, str]]) -> Scenario:
    """GET the form, then POST it with its CSRF token, as a fresh visitor each time."""

    def run(visitor: Visitor) -> bool:
        visitor.cookies.clear()
        status, html = visitor.request("GET", form_path)
        if status != 200:
            return False
        body: dict[str, str] = {}
        for tag in HIDDEN_INPUT.findall(html):
            attributes = dict(ATTRIBUTE.findall(tag))
            body[attributes.get("name", "")] = attributes.get("value", "")
        body.update(fields())
        status, _ = visitor.request("POST", form_path, body)
        return status in (302, 303)

    return run


def drive(port: int, scenario: Scenario, threads: int, seconds: float, requests: int) -> Result:
    result = Result()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    budget = iter(range(requests))

    def worker() -> None:
        visitor = Visitor(port)
        while time.perf_counter() < deadline:
            with lock:
                if next(budget, None) is None:
                    return
            started = time.perf_counter()
            try:
                ok = scenario(visitor)
            except (OSError, http.client.HTTPException):
                ok = False
                visitor = Visitor(port)
            took = time.perf_counter() - started
            with lock:
                if ok:
                    result.latencies.append(took)
                else:
                    result.errors += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result


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


def scenarios(slug: str) -> dict[str, tuple[Scenario, Scenario]]:
    counter = iter(range(10**9))

    def fields() -> dict[str, str]:
        return {
            "name": "Bench Visitor",
            "email": f"bench{next(counter)}-{secrets.token_hex(3)}@example.org",
            "consent": "y",
        }

    return {
        "home page": (page("/"), page("/")),
        "event page": (page(f"/events/{slug}"), page("/")),
        "feed (calendar.ics)": (page("/calendar.ics"), page("/")),
        "registration form (GET)": (page(f"/events/{slug}/register"), page("/")),
        "registration (GET + POST)": (
            registration(f"/events/{slug}/register", fields),
            registration("/", dict),
        ),
    }


def report(name: str, app: Result, minimal: Result) -> str:
    ratio = app.rate / minimal.rate if minimal.rate else float("nan")
    p99_ratio = app.percentile(0.99) / minimal.percentile(0.99)
    return (
        f"| {name} | {app.rate:.0f} | {minimal.rate:.0f} | {ratio:.2f} | "
        f"{app.percentile(0.5):.1f} | {app.percentile(0.99):.1f} | "
        f"{minimal.percentile(0.99):.1f} | {p99_ratio:.1f} | {app.errors + minimal.errors} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--seconds", type=float, default=8.0, help="per scenario and app")
    parser.add_argument("--requests", type=int, default=5000, help="per scenario and app")
    parser.add_argument("--threads", type=int, default=16, help="simultaneous visitors")
    parser.add_argument("--floor-ms", type=int, default=100, help="registration timing floor")
    args = parser.parse_args()
    load = os.getloadavg()
    with database(args.postgres) as url:
        env = app_environment(url.replace("postgresql://", "postgresql+psycopg://"), args.floor_ms)
        slug = prepare(url, env)
        app_port, minimal_port = free_port(), free_port()
        logs = ROOT / "instance"
        logs.mkdir(exist_ok=True)
        rows = []
        with (
            server("app:app", app_port, env, logs / "bench-app.log"),
            server("bench_minimal_app:app", minimal_port, env, logs / "bench-minimal.log"),
        ):
            for name, (ours, yardstick) in scenarios(slug).items():
                limits = (args.threads, args.seconds, args.requests)
                minimal = drive(minimal_port, yardstick, *limits)
                app = drive(app_port, ours, *limits)
                rows.append(report(name, app, minimal))
                print(rows[-1], flush=True)
    print(
        f"\n{platform.node()}: {os.cpu_count()} cores, {platform.python_version()}, "
        f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
        f"{args.threads} visitors, {args.seconds:g} s or {args.requests} requests each, "
        f"floor {args.floor_ms} ms\n"
    )
    print(
        "| scenario | app req/s | minimal req/s | ratio | app p50 ms | app p99 ms "
        "| minimal p99 ms | p99 ratio | errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
