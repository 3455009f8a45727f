"""`make audit` never passes without checking (its verdict on pip-audit's JSON report)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent.parent / "scripts" / "audit.py"


def _audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKED = {"name": "flask", "version": "3.1.3", "vulns": []}
SKIPPED = {"name": "jinja2", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_skipped_packages_fail_saying_it_could_not_check() -> None:
    """pip-audit itself exits 0 and prints "No known vulnerabilities found" here."""
    code, lines = _audit().verdict({"dependencies": [CHECKED, SKIPPED]}, 0)
    assert code == 2
    assert lines[0] == "AUDIT FAILED: COULD NOT CHECK for known vulnerabilities."
    assert "1 of 2 packages were skipped" in lines[1]


def test_an_empty_report_fails_saying_it_could_not_check() -> None:
    assert _audit().verdict({"dependencies": []}, 0)[0] == 2


def test_vulnerabilities_fail_with_their_ids() -> None:
    vulnerable = {
        "name": "jinja2",
        "version": "3.1.0",
        "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["3.1.6"]}],
    }
    code, lines = _audit().verdict({"dependencies": [CHECKED, vulnerable]}, 1)
    assert code == 1
    assert "  jinja2 3.1.0: GHSA-xxxx (fixed in 3.1.6)" in lines


def test_every_package_checked_and_clean_passes() -> None:
    code, lines = _audit().verdict({"dependencies": [CHECKED]}, 0)
    assert code == 0
    assert lines == ["Audit passed: all 1 packages checked, none vulnerable."]
