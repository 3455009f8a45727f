"""The deployment files agree with the app: nginx sends registrations, and only them, to
their own pool, and the two web services never share a port or a control socket
(docs/architecture.md#a-pool-for-registrations)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
NGINX = (ROOT / "deploy" / "nginx" / "webinar.conf").read_text()
SYSTEMD = ROOT / "deploy" / "systemd"


def location_patterns() -> list[re.Pattern[str]]:
    return [re.compile(found) for found in re.findall(r"location ~ (\S+) \{", NGINX)]


def sample_path(rule: str) -> str:
    """A path the rule matches: every <converter:name> filled with a plain value."""
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule)


def to_registrations(path: str) -> bool:
    return any(pattern.search(path) for pattern in location_patterns())


def test_nginx_sends_the_registration_form_and_its_post_to_their_own_pool(app: Flask) -> None:
    with app.test_request_context():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "registrations.register")
    assert {"GET", "POST"} <= set(rule.methods or ())
    assert to_registrations(sample_path(rule.rule))
    assert to_registrations("/events/winter-safety-talk/register")


def test_nginx_sends_every_other_page_to_the_pages_pool(app: Flask) -> None:
    others = [
        sample_path(rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "registrations.register"
    ]
    assert "/events/1" in others
    assert [path for path in others if to_registrations(path)] == []
    assert not to_registrations("/events/winter-safety-talk/register/extra")
    assert not to_registrations("/events/winter-safety-talk")


def test_nginx_passes_the_host_and_never_logs_a_manage_link() -> None:
    assert "proxy_set_header Host $host;" in NGINX
    map_rule = re.search(r"~(\^/booking/\S+) /booking/\[redacted\]\$rest;", NGINX)
    assert map_rule is not None
    assert re.match(map_rule.group(1), "/booking/secret-token/cancel")
    log_format = NGINX[NGINX.index("log_format") : NGINX.index(";", NGINX.index("log_format"))]
    assert "$webinar_logged_uri" in log_format
    assert "$request " not in log_format and "$http_referer" not in log_format


def setting(unit: str, name: str) -> str:
    found = re.search(rf"^Environment={name}=(\S+)$", (SYSTEMD / unit).read_text(), re.M)
    assert found is not None, (unit, name)
    return found.group(1)


def test_the_two_web_services_have_their_own_port_and_control_socket() -> None:
    units = ("webinar-web.service", "webinar-registrations.service")
    binds = {setting(unit, "GUNICORN_BIND") for unit in units}
    sockets = {setting(unit, "GUNICORN_CONTROL_SOCKET") for unit in units}
    assert len(binds) == 2 and len(sockets) == 2
    upstreams = set(re.findall(r"server (127\.0\.0\.1:\d+);", NGINX))
    assert upstreams == binds
