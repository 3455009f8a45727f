"""A live server in a thread, a local "exit" site, and headless Chromium through Playwright.

The clock is real here (no time-machine): the server thread and the browser both use it,
so the demo campaign is loaded relative to today and its events are still ahead.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from sqlalchemy import select
from werkzeug.serving import BaseWSGIServer, make_server

from tests.factories import Factory
from webinar import create_app
from webinar.demo import load_demo_data
from webinar.extensions import db
from webinar.london_time import LONDON
from webinar.models import Event

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Generous for a page on 127.0.0.1, short enough that a broken journey fails fast.
TIMEOUT_MS = 5000


@dataclass
class ExitSite:
    """A neutral site on another origin: where quick exit goes, and what it was sent."""

    url: str
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_url(self) -> str:
        return f"{self.url}/weather"

    @property
    def start_url(self) -> str:
        """A page to visit first, so Back has somewhere to go that is not our site."""
        return f"{self.url}/start"

    def headers_sent_to(self, path: str) -> list[dict[str, str]]:
        return [headers for headers in self.requests if headers["path"] == path]


def _exit_handler(site: ExitSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            site.requests.append({"path": self.path, **headers})
            title = "Weather" if self.path.startswith("/weather") else "Somewhere else"
            body = (
                f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head>"
                f"<body><h1>{title}</h1></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def exit_site() -> Iterator[ExitSite]:
    site = ExitSite(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _exit_handler(site))
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask
    webinar_slug: str
    webinar_title: str

    def is_ours(self, url: str) -> bool:
        return url == self.url or url.startswith(f"{self.url}/")


def live_config(tmp_path: Path, exit_site: ExitSite) -> dict[str, Any]:
    """As close to production as a test can be: not TESTING, not debug, CSRF on."""
    return {
        "TESTING": False,
        "DEBUG": False,
        "SECRET_KEY": secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}",
        "WTF_CSRF_ENABLED": True,
        # Rate limits have their own tests; a browser suite registers more than a person.
        "RATELIMIT_ENABLED": False,
        "REGISTRATION_MINIMUM_RESPONSE_MS": 0,
        "MAIL_SUPPRESS_SEND": True,
        "OUTBOX_EML_DIR": str(tmp_path / "emails"),
        "QUICK_EXIT_URL": exit_site.exit_url,
        # Loopback: production config refuses the development default.
        "PUBLIC_SITE_URL": "http://127.0.0.1",
    }


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, exit_site: ExitSite
) -> Iterator[LiveServer]:
    tmp_path = tmp_path_factory.mktemp("live")
    app = create_app(live_config(tmp_path, exit_site))
    with app.app_context():
        db.create_all()
        load_demo_data(today=datetime.now(LONDON).date())
        db.session.commit()
        webinar = db.session.scalars(select(Event).where(Event.accepts_questions)).one()
        # A second event on the webinar's day, so the listing has a day with two events.
        Factory().event(
            title="Drop-in: talk to a Victim Engagement Officer",
            summary="Talk in confidence about the support available.",
            starts_at_utc=webinar.starts_at_utc - timedelta(hours=3),
        )
        webinar_slug, webinar_title = webinar.slug, webinar.title
        db.session.remove()

    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_SITE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=url, app=app, webinar_slug=webinar_slug, webinar_title=webinar_title)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def new_context(browser: Browser, live_server: LiveServer, **options: Any) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def no_js_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = new_context(browser, live_server, java_script_enabled=False)
    yield context.new_page()
    context.close()


#: Runs before any of the page's own scripts, so no violation is missed.
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__cspViolations.push(event.violatedDirective + ' blocked ' + event.blockedURI);
});
"""


@dataclass
class PageProblems:
    """What a person would never see, but a broken or leaky page shows in DevTools."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    other_hosts: list[str] = field(default_factory=list)

    def csp_violations(self, page: Page) -> list[str]:
        violations: list[str] = page.evaluate("window.__cspViolations || []")
        return violations


@pytest.fixture
def problems(page: Page, live_server: LiveServer) -> PageProblems:
    found = PageProblems()
    page.add_init_script(_RECORD_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.console_errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: found.page_errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None if live_server.is_ours(request.url) else found.other_hosts.append(request.url)
        ),
    )
    return found


def fill_registration(page: Page, *, name: str, email: str) -> None:
    page.get_by_label("Your name or a nickname").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("I have read the privacy notice").check()
