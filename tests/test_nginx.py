"""deploy/nginx/webinar.conf run by a real nginx: registrations reach their own pool,
everything else the pages' pool, and a manage link's token never reaches the access log
(docs/architecture.md#a-pool-for-registrations).

Only what a machine needs to differ is changed: ports, the certificate and the log's
folder. Two small HTTP servers stand in for the gunicorn services and say which one
answered.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "nginx" / "webinar.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "events.example.org"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Pool(ThreadingHTTPServer):
    """Answers every request with its name and keeps what it was asked."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: list[tuple[str, str, str]] = []
        super().__init__(("127.0.0.1", 0), _PoolHandler)


class _PoolHandler(BaseHTTPRequestHandler):
    server: Pool
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append((self.command, self.path, self.headers.get("Host", "")))
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Site:
    https_port: int
    http_port: int
    pages: Pool
    registrations: Pool
    access_log: Path

    def request(self, method: str, path: str) -> tuple[int, str, str]:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, timeout=10, context=context
        )
        body = "name=Sam" if method == "POST" else None
        headers = {"Host": HOST, "Content-Type": "application/x-www-form-urlencoded"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        answer = (response.status, response.read().decode(), response.getheader("Location", ""))
        connection.close()
        return answer


def configured(folder: Path, site: Site) -> str:
    """The deployment's file with this machine's ports, certificate and log folder."""
    text = CONFIG.read_text()
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{site.https_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{site.http_port};",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{site.pages.server_port};",
        "server 127.0.0.1:8001;": f"server 127.0.0.1:{site.registrations.server_port};",
        f"/etc/ssl/certs/{HOST}.pem": str(folder / "site.pem"),
        f"/etc/ssl/private/{HOST}.key": str(folder / "site.key"),
        "/var/log/nginx/webinar.access.log": str(site.access_log),
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, f"{old!r} is no longer in {CONFIG.name}: update this test"
        text = text.replace(old, new)
    return text


def main_config(folder: Path) -> str:
    temporary = {
        name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    }
    paths = "\n".join(f"    {name}_temp_path {path};" for name, path in temporary.items())
    return f"""
daemon off;
master_process off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 64; }}
http {{
    access_log off;
{paths}
    include {folder / "webinar.conf"};
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("nginx")
    files = ["-keyout", str(folder / "site.key"), "-out", str(folder / "site.pem")]
    subject = ["-subj", f"/CN={HOST}", "-days", "1"]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", *subject, *files],
        check=True,
        capture_output=True,
    )
    pools = Pool("pages"), Pool("registrations")
    for pool in pools:
        threading.Thread(target=pool.serve_forever, daemon=True).start()
    try:
        result = Site(free_port(), free_port(), *pools, access_log=folder / "access.log")
        (folder / "webinar.conf").write_text(configured(folder, result))
        (folder / "nginx.conf").write_text(main_config(folder))
        command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(result.https_port, process, folder / "error.log")
            yield result
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        for pool in pools:
            pool.shutdown()
            pool.server_close()


def _wait_for(port: int, process: subprocess.Popen[bytes], errors: Path) -> None:
    # Up to 30 s (600 tries 50 ms apart): returns at the first answer, so only a loaded
    # machine ever uses the time.
    for _ in range(600):
        if process.poll() is not None:
            raise AssertionError(f"nginx stopped: {errors.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start listening")


def test_the_registration_form_and_its_post_reach_the_registrations_pool(site: Site) -> None:
    assert site.request("GET", "/events/winter-safety-talk/register")[:2] == (
        200,
        "registrations",
    )
    assert site.request("POST", "/events/winter-safety-talk/register")[:2] == (
        200,
        "registrations",
    )
    # With the visitor's Host, which the app needs to serve its cached pages.
    assert site.registrations.seen[-1] == ("POST", "/events/winter-safety-talk/register", HOST)


def test_every_other_page_reaches_the_pages_pool(site: Site) -> None:
    for path in (
        "/",
        "/events/winter-safety-talk",
        "/events/winter-safety-talk/check-your-email",
        "/events/winter-safety-talk/register/extra",
        "/booking/a-token/cancel",
        "/organisers/sign-in",
    ):
        assert site.request("GET", path)[:2] == (200, "pages"), path


def test_plain_http_is_sent_to_https(site: Site) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    connection.request("GET", "/events/winter-safety-talk?x=1", headers={"Host": HOST})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/events/winter-safety-talk?x=1"
    connection.close()


def test_the_access_log_never_holds_a_manage_links_token(site: Site) -> None:
    token = "manage-token-kept-secret"
    site.request("GET", f"/booking/{token}/cancel?from=email")
    site.request("POST", f"/booking/{token}/delete")

    expected = [
        r'"GET /booking/\[redacted\]/cancel\?from=email HTTP/1.1" 200',
        r'"POST /booking/\[redacted\]/delete HTTP/1.1" 200',
    ]
    log = _log_once_written(site.access_log, expected)

    assert token not in log
    for line in expected:
        assert re.search(line, log), line


def _log_once_written(path: Path, expected: list[str]) -> str:
    """nginx writes each line as its request ends: wait for them rather than race it."""
    text = ""
    for _ in range(600):  # up to 30 s, as _wait_for
        text = path.read_text() if path.exists() else ""
        if all(re.search(line, text) for line in expected):
            break
        time.sleep(0.05)
    return text
