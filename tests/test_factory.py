"""The app factory's wiring and the configuration rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from webinar import create_app
from webinar.config import ConfigurationError


def test_production_refuses_the_default_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)

    with pytest.raises(ConfigurationError, match="FLASK_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        create_app({"SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_real_secret_key(tmp_path: Path) -> None:
    app = create_app(
        {
            "SECRET_KEY": "k" * 64,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PUBLIC_SITE_URL": "https://events.example.org",
        }
    )
    assert not app.debug and not app.testing


def test_settings_come_from_flask_prefixed_environment_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLASK_SECRET_KEY", "e" * 64)
    monkeypatch.setenv("FLASK_MAIL_PORT", "1025")
    monkeypatch.setenv("FLASK_ORGANISATION_NAME", "Example Constabulary")
    monkeypatch.setenv("FLASK_QUICK_EXIT_URL", "https://www.example.org/")
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "postgresql://u@h/db")
    monkeypatch.setenv("FLASK_PUBLIC_SITE_URL", "https://events.example.org")

    app = create_app()

    assert app.config["MAIL_PORT"] == 1025
    assert app.config["ORGANISATION_NAME"] == "Example Constabulary"
    assert app.config["QUICK_EXIT_URL"] == "https://www.example.org/"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_sqlite_under_instance_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.delenv("FLASK_SQLALCHEMY_DATABASE_URI", raising=False)

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/webinar.sqlite")


def test_every_setting_is_documented_in_env_example_and_readme() -> None:
    root = Path(__file__).resolve().parent.parent
    example = (root / ".env.example").read_text()
    readme = (root / "README.md").read_text()
    documented = {line.split("=")[0] for line in example.splitlines() if line.startswith("FLASK_")}
    from webinar.config import default_settings

    # Safety defaults nobody should need to change are left out of the operator's list.
    fixed = {
        "SQLALCHEMY_ENGINE_OPTIONS",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "RATELIMIT_HEADERS_ENABLED",
    }
    own = {f"FLASK_{key}" for key in default_settings(str(root / "instance")) if key not in fixed}
    assert own <= documented, own - documented
    for name in documented:
        assert name in readme, f"{name} is not in the README"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:5000", "http://events.example.org", "", "events.example.org"]
)
def test_production_refuses_a_public_site_url_emails_cannot_use(url: str) -> None:
    with pytest.raises(ConfigurationError, match="FLASK_PUBLIC_SITE_URL"):
        create_app(
            {"SECRET_KEY": "k" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_SITE_URL": url}
        )


def test_behind_a_proxy_the_client_address_and_scheme_come_from_its_headers() -> None:
    from flask import request

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PROXY_FIX_X_FOR": 1,
        }
    )

    @app.get("/whoami")
    def whoami() -> str:
        return f"{request.remote_addr} {request.scheme}"

    response = app.test_client().get(
        "/whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    )

    assert response.get_data(as_text=True) == "203.0.113.9 https"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_production_start_without_a_secret_says_why_in_one_sentence(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stderr.startswith("Cannot start: FLASK_SECRET_KEY is missing")
    assert "Traceback" not in result.stderr
