"""The load generator for `make bench`: visitors on keep-alive connections, and what they do.

Only 127.0.0.1 is ever contacted; every loop is bounded by a deadline and a request count.
"""

from __future__ import annotations

import http.client
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

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
        """In milliseconds."""
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


def new_registrant() -> Callable[[], dict[str, str]]:
    """A form filled in with a new address each time (never one already registered)."""
    prefix = secrets.token_hex(4)
    counter = iter(range(10**9))

    def fields() -> dict[str, str]:
        return {
            "name": "Bench Visitor",
            "email": f"bench-{prefix}-{next(counter)}@example.org",
            "consent": "y",
        }

    return fields


def drive(
    port: int,
    scenario: Scenario,
    threads: int,
    seconds: float,
    requests: int,
    pause: float = 0.0,
) -> Result:
    """`threads` visitors repeat the scenario until the deadline or the request budget."""
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
            if pause:
                time.sleep(pause)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result
