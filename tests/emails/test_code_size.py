"""The email and calendar code stays in pieces small enough to review (about 300 lines a
module, 40 a function)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "webinar"
MODULES = sorted(
    [
        *ROOT.glob("outbox*.py"),
        *ROOT.glob("email*.py"),
        *(ROOT / "calendars").glob("*.py"),
        ROOT / "calendar.py",
        ROOT / "invite_message.py",
    ]
)
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_email_modules_and_their_functions_stay_small(path: Path) -> None:
    source = path.read_text()
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    too_long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not too_long
