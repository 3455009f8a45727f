"""`make audit`: known vulnerabilities in requirements.txt, and a loud failure when unchecked.

pip-audit says "No known vulnerabilities found" and exits 0 even when it skipped every
package because the vulnerability service could not be reached. This wrapper reads its
JSON report and fails unless every requirement was really checked.
Exit codes: 0 all checked and clean, 1 vulnerabilities found, 2 could not check.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COULD_NOT_CHECK = 2


def run_pip_audit(report: Path) -> int:
    command = [
        sys.executable, "-m", "pip_audit",
        "--requirement", str(ROOT / "requirements.txt"),
        "--format", "json",
        "--output", str(report),
        "--progress-spinner", "off",
    ]  # fmt: skip
    return subprocess.run(command, check=False).returncode  # noqa: S603 - fixed arguments


def verdict(report: dict[str, Any], returncode: int) -> tuple[int, list[str]]:
    """The exit code and the lines to print, from pip-audit's JSON report."""
    dependencies = report.get("dependencies", [])
    skipped = [item for item in dependencies if "skip_reason" in item]
    vulnerable = [item for item in dependencies if item.get("vulns")]
    if not dependencies or skipped:
        lines = [
            "AUDIT FAILED: COULD NOT CHECK for known vulnerabilities.",
            f"{len(skipped)} of {len(dependencies)} packages were skipped, so pip-audit's "
            "'No known vulnerabilities found' means nothing here.",
            *(f"  skipped {item['name']}: {item['skip_reason']}" for item in skipped),
            "Run `make audit` where the vulnerability service (PyPI's JSON API) is reachable.",
        ]
        return COULD_NOT_CHECK, lines
    if vulnerable or returncode != 0:
        lines = ["AUDIT FAILED: known vulnerabilities:"]
        for item in vulnerable:
            for vuln in item["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
                lines.append(f"  {item['name']} {item['version']}: {vuln['id']} (fixed in {fixes})")
        return 1, lines
    return 0, [f"Audit passed: all {len(dependencies)} packages checked, none vulnerable."]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        returncode = run_pip_audit(report_path)
        try:
            report = json.loads(report_path.read_text())
        except (OSError, ValueError):
            print(
                "AUDIT FAILED: COULD NOT CHECK: pip-audit wrote no report "
                f"(exit code {returncode}); is the vulnerability service reachable?",
                file=sys.stderr,
            )
            return COULD_NOT_CHECK
    code, lines = verdict(report, returncode)
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
