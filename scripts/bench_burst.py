"""`make bench`'s burst scenario: does a rush of registrations slow a public page down?

One visitor loads the home page again and again (with a short pause, like a person, so
that it measures latency and adds little load): first with the site idle, then while
`registrants` simultaneous visitors register (GET the form, POST it with its CSRF token,
repeat). The registrants run in another process, so their threads never compete with the
probe for this process's interpreter lock and the probe times only the server.
Each registration waits out the timing floor (docs/safety.md#response-timing); with
threads (gunicorn.conf.py) that wait holds one thread and no database connection.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass

from bench_load import Result, drive, new_registrant, page, registration

#: Between two home page loads of the probe.
PROBE_PAUSE = 0.02


@dataclass
class Burst:
    idle: Result
    during: Result
    registrations: Result
    registrants: int


def _register_repeatedly(port: int, form_path: str, registrants: int, seconds: float) -> Result:
    scenario = registration(form_path, new_registrant())
    return drive(port, scenario, registrants, seconds, requests=10**6)


def home_page_during_burst(port: int, form_path: str, registrants: int, seconds: float) -> Burst:
    probe = page("/")
    idle = drive(port, probe, 1, seconds, requests=10**6, pause=PROBE_PAUSE)
    # fork: no thread of ours is running at this point (drive has joined them all).
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(
            _register_repeatedly, (port, form_path, registrants, seconds + 1.0)
        )
        time.sleep(0.5)  # let the burst get going before timing the page
        during = drive(port, probe, 1, seconds, requests=10**6, pause=PROBE_PAUSE)
        registrations = pending.get(timeout=seconds + 60)
    return Burst(idle=idle, during=during, registrations=registrations, registrants=registrants)


def report(burst: Burst) -> list[str]:
    idle, during = burst.idle, burst.during
    ratio_50 = during.percentile(0.5) / idle.percentile(0.5)
    ratio_99 = during.percentile(0.99) / idle.percentile(0.99)
    return [
        "| home page | idle | during the burst | during / idle |",
        "| --- | --- | --- | --- |",
        f"| p50 ms | {idle.percentile(0.5):.1f} | {during.percentile(0.5):.1f} | {ratio_50:.2f} |",
        f"| p99 ms | {idle.percentile(0.99):.1f} | {during.percentile(0.99):.1f} | "
        f"{ratio_99:.2f} |",
        f"| requests (errors) | {len(idle.latencies)} ({idle.errors}) | "
        f"{len(during.latencies)} ({during.errors}) | |",
        "",
        f"Burst: {burst.registrants} simultaneous registrants, "
        f"{burst.registrations.rate:.0f} registrations/s (GET + POST), "
        f"p50 {burst.registrations.percentile(0.5):.0f} ms, "
        f"p99 {burst.registrations.percentile(0.99):.0f} ms, "
        f"{burst.registrations.errors} errors. "
        "Target: the home page's latency unchanged (during / idle close to 1).",
    ]
