"""A rush on a page that is not cached renders it once per process, not once per visitor
(docs/architecture.md#one-render-at-a-time)."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask, Response, template_rendered

from tests.factories import Factory
from webinar import page_cache
from webinar.extensions import db
from webinar.page_cache import PageStore, kept_or_rendered

VISITORS = 8


@pytest.fixture(autouse=True)
def _patient_waiters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Visitors wait up to 30 s for another's render, not 2: on a loaded machine a render
    can take longer, and a visitor who gave up would render too and fail the count."""
    monkeypatch.setattr(page_cache, "RENDER_WAIT_SECONDS", 30.0)


@dataclass
class Kept:
    body: str
    expires_at_utc: datetime = datetime(2099, 1, 1, tzinfo=UTC)


class Renders:
    """Counts renders, and how many ran at once; each takes a while, so that every
    visitor arrives while the first is still rendering."""

    def __init__(self, seconds: float = 0.2) -> None:
        self.seconds = seconds
        self.count = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, *_args: Any, **_kwargs: Any) -> None:
        with self._lock:
            self.count += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(self.seconds)
        with self._lock:
            self.running -= 1


def all_at_once(work: Any) -> list[Any]:
    barrier = threading.Barrier(VISITORS)

    def go(_: int) -> Any:
        barrier.wait(timeout=10)
        return work()

    with ThreadPoolExecutor(VISITORS) as pool:
        return list(pool.map(go, range(VISITORS)))


def test_a_rush_on_a_page_not_yet_cached_renders_it_once(pg_app: Flask) -> None:
    # PostgreSQL: on SQLite each request's transaction waits for the one writer, so the
    # visitors would arrive one after another anyway.
    app = pg_app
    Factory().event(title="Stalking awareness webinar")
    db.session.commit()
    renders = Renders()

    def count_the_home_page(_app: Flask, template: Any, **_context: Any) -> None:
        if template.name == "events/list_events.html":
            renders()

    def visit() -> tuple[int, str]:
        response = app.test_client().get("/")
        return response.status_code, response.get_data(as_text=True)

    with template_rendered.connected_to(count_the_home_page, app):
        answers = all_at_once(visit)

    assert renders.count == 1
    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1
    assert "Stalking awareness webinar" in answers[0][1]


def test_a_page_that_is_not_kept_is_not_rendered_one_visitor_after_another(
    app: Flask,
) -> None:
    # A 404, or a page that sets a cookie: the visitors who waited for the first render
    # find nothing kept, and render it alongside each other, not in a queue.
    store: PageStore[Kept] = PageStore()
    # Long enough that on a loaded machine every other visitor is waiting before the first
    # render ends, and still rendering when the last of them starts.
    renders = Renders(seconds=0.5)

    def render() -> Response:
        renders()
        return Response("not for keeping")

    def visit() -> str:
        with app.test_request_context("/events/not-kept"):
            found = kept_or_rendered(store, 1, render, lambda _response, _now: None)
            assert isinstance(found, Response)
            return found.get_data(as_text=True)

    answers = all_at_once(visit)

    assert answers == ["not for keeping"] * VISITORS
    assert renders.count == VISITORS
    assert renders.most_at_once == VISITORS - 1  # the first alone, then all the others


def test_a_render_that_fails_does_not_keep_others_waiting(app: Flask) -> None:
    store: PageStore[Kept] = PageStore()

    def render() -> Response:
        raise RuntimeError("the database went away")

    with app.test_request_context("/events/flaky"):
        with pytest.raises(RuntimeError):
            kept_or_rendered(store, 1, render, lambda _response, _now: None)
        # The next visitor renders it at once instead of waiting for a render that ended.
        assert store.render_underway(("http://localhost/", "/events/flaky"), 1) is None


def test_a_version_raised_while_visitors_wait_keeps_the_pages_of_the_new_one(
    app: Flask,
) -> None:
    # Visitors wait for a render under version 1; meanwhile an event fills, and a page
    # is kept under version 2. Waking up, they must not take the store back to version 1
    # (which would throw away every page of version 2).
    store: PageStore[Kept] = PageStore()
    started, finish = threading.Event(), threading.Event()
    renders = Renders(seconds=0)
    asked = threading.Semaphore(0)  # released by each visitor that looked and found none
    look = store.render_underway

    def render_underway(key: tuple[str, str], version: int) -> threading.Event | None:
        underway = look(key, version)
        asked.release()
        return underway

    store.render_underway = render_underway  # type: ignore[method-assign]

    def slow_render() -> Response:
        renders()
        started.set()
        assert finish.wait(timeout=10)
        return Response("version 1")

    def visit() -> str:
        with app.test_request_context("/events/filling-up"):
            found = kept_or_rendered(
                store, 1, slow_render, lambda response, _now: Kept(response.get_data(as_text=True))
            )
            return found.body if isinstance(found, Kept) else found.get_data(as_text=True)

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(visit)
        assert started.wait(timeout=10)
        waiting = [pool.submit(visit) for _ in range(3)]
        for _ in range(4):  # the first and the three: all have read the store, found no page
            assert asked.acquire(timeout=10)
        home = ("http://localhost/", "/")
        assert store.get(home, version=2, now=datetime.now(UTC)) is None  # version 2 arrives
        store.put(home, Kept("home, version 2"), version=2)
        finish.set()
        answers = [first.result(), *(visit.result() for visit in waiting)]

    assert answers == ["version 1"] * 4
    kept = store.get(home, version=2, now=datetime.now(UTC))
    assert kept is not None and kept.body == "home, version 2"


def test_a_rush_on_the_registration_form_renders_it_once_with_a_token_for_each(
    pg_app: Flask,
) -> None:
    pg_app.config["WTF_CSRF_ENABLED"] = True
    event = Factory().event(title="Rush")
    db.session.commit()
    url = f"/events/{event.slug}/register"
    renders = Renders()

    def count_the_form(_app: Flask, template: Any, **_context: Any) -> None:
        if template.name == "registrations/register.html":
            renders()

    clients = [pg_app.test_client() for _ in range(VISITORS)]
    handed_out = iter(clients)
    lock = threading.Lock()

    def visit() -> tuple[Any, str]:
        with lock:
            client = next(handed_out)
        body = client.get(url).get_data(as_text=True)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
        assert found is not None
        return client, found.group(1)

    with template_rendered.connected_to(count_the_form, pg_app):
        visitors = all_at_once(visit)

    assert renders.count == 1
    assert len({token for _, token in visitors}) == VISITORS
    first_token, second = visitors[0][1], visitors[1][0]

    def form(token: str, email: str) -> dict[str, str]:
        return {"name": "Sam Example", "consent": "y", "csrf_token": token, "email": email}

    # Each token works only with the session it was handed out with.
    assert second.post(url, data=form(first_token, "x@example.com")).status_code == 400
    for number, (client, token) in enumerate(visitors):
        assert client.post(url, data=form(token, f"p{number}@example.com")).status_code == 302
