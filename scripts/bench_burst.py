"""`make bench`'s burst scenario: does a rush of registrations slow a public page down?

One visitor loads the home page again and again (with a short pause, like a person, so
that it measures latency and adds little load): first with the site idle, then while
`registrants` simultaneous visitors register (GET the form, POST it with its CSRF token,
repeat). The registrants run in another process, so their threads never compete with the
probe for this process's interpreter lock and the probe times only the server.

A second probe loads the minimal app's page at the same moments. Nobody registers there,
so what slows it during the burst is the machine (the cores the registrations, PostgreSQL
and the load generator share), not the site: it says how much of the site's slowdown any
server on this machine would have had.
Each registration waits out the timing floor (docs/safety.md#response-timing); with
threads (gunicorn.conf.py) that wait holds one thread and no database connection.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench_load import Result, drive, new_registrant, page, registration

#: Between two home page loads of the probe.
PROBE_PAUSE = 0.02


@dataclass
class Burst:
    idle: Result
    during: Result
    minimal_idle: Result
    minimal_during: Result
    registrations: Result
    registrants: int


def _register_repeatedly(port: int, form_path: str, registrants: int, seconds: float) -> Result:
    scenario = registration(form_path, new_registrant())
    return drive(port, scenario, registrants, seconds, requests=10**6)


def _probe(port: int, minimal_port: int, seconds: float) -> tuple[Result, Result]:
    """The site's home page and the minimal app's page, side by side for `seconds`."""
    with ThreadPoolExecutor(2) as pool:
        ours = pool.submit(drive, port, page("/"), 1, seconds, 10**6, PROBE_PAUSE)
        minimal = pool.submit(drive, minimal_port, page("/"), 1, seconds, 10**6, PROBE_PAUSE)
        return ours.result(), minimal.result()


def home_page_during_burst(
    port: int,
    minimal_port: int,
    form_path: str,
    registrants: int,
    seconds: float,
    *,
    registration_port: int | None = None,
) -> Burst:
    """`registration_port`: where the registrants go, if not to the probed server."""
    idle, minimal_idle = _probe(port, minimal_port, seconds)
    # fork: no thread of ours is running at this point (drive has joined them all).
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(
            _register_repeatedly,
            (registration_port or port, form_path, registrants, seconds + 1.0),
        )
        time.sleep(0.5)  # let the burst get going before timing the page
        during, minimal_during = _probe(port, minimal_port, seconds)
        registrations = pending.get(timeout=seconds + 60)
    return Burst(
        idle=idle,
        during=during,
        minimal_idle=minimal_idle,
        minimal_during=minimal_during,
        registrations=registrations,
        registrants=registrants,
    )


def _row(name: str, idle: Result, during: Result, share: float) -> str:
    slower = during.percentile(share) / idle.percentile(share)
    return (
        f"| {name} | {idle.percentile(share):.1f} | {during.percentile(share):.1f} | "
        f"{slower:.2f} | {len(idle.latencies)} ({idle.errors}) | "
        f"{len(during.latencies)} ({during.errors}) |"
    )


def report(burst: Burst) -> list[str]:
    ours = burst.during.percentile(0.5) / burst.idle.percentile(0.5)
    machine = burst.minimal_during.percentile(0.5) / burst.minimal_idle.percentile(0.5)
    return [
        "| page | idle ms | during the burst ms | during / idle | requests idle (errors) "
        "| during (errors) |",
        "| --- | --- | --- | --- | --- | --- |",
        _row("the site's home page, p50", burst.idle, burst.during, 0.5),
        _row("the site's home page, p99", burst.idle, burst.during, 0.99),
        _row("minimal app (no burst on it), p50", burst.minimal_idle, burst.minimal_during, 0.5),
        _row("minimal app (no burst on it), p99", burst.minimal_idle, burst.minimal_during, 0.99),
        "",
        f"Burst: {burst.registrants} simultaneous registrants, "
        f"{burst.registrations.rate:.0f} registrations/s (GET + POST), "
        f"p50 {burst.registrations.percentile(0.5):.0f} ms, "
        f"p99 {burst.registrations.percentile(0.99):.0f} ms, "
        f"{burst.registrations.errors} errors. "
        "Target: the home page's latency unchanged (during / idle close to 1). "
        f"The site's p50 slowed {ours:.2f}x, the minimal app's {machine:.2f}x on the same "
        "machine at the same time.",
    ]
