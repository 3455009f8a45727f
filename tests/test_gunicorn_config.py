"""The production server settings in gunicorn.conf.py, read the way gunicorn reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from gunicorn.app.base import Application
from gunicorn.config import Config

CONFIG_FILE = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


class _Reader(Application):  # type: ignore[misc]
    """Loads gunicorn.conf.py as `gunicorn app:app` does, without starting anything."""

    def init(self, parser: object, opts: object, args: object) -> None:
        return None

    def load_config(self) -> None:
        self.cfg = Config()
        self.load_config_from_file(str(CONFIG_FILE))

    def load(self) -> None:
        raise AssertionError("the app must not be loaded to read the settings")


def read_settings() -> Config:
    return _Reader().cfg


def test_waiting_requests_hold_a_thread_not_a_worker() -> None:
    settings = read_settings()
    assert settings.worker_class_str == "gthread"
    assert settings.threads > 1
    assert settings.workers >= 1
    assert settings.preload_app is False


def test_workers_restart_staggered_and_finish_requests_in_flight() -> None:
    settings = read_settings()
    assert settings.max_requests > 0
    assert 0 < settings.max_requests_jitter < settings.max_requests
    assert settings.graceful_timeout > 0
    assert settings.timeout >= settings.graceful_timeout


def test_access_log_still_redacts_manage_links() -> None:
    assert read_settings().settings["logger_class"].get() == (
        "webinar.gunicorn_logging.RedactingLogger"
    )


def test_two_services_never_share_the_default_control_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert read_settings().control_socket_disable is True

    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "/run/webinar/gunicorn.ctl")
    settings = read_settings()
    assert settings.control_socket_disable is False
    assert settings.control_socket == "/run/webinar/gunicorn.ctl"


def test_sizes_can_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    settings = read_settings()
    assert (settings.workers, settings.threads) == (3, 4)
