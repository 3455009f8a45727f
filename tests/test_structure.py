"""The codebase keeps the shape docs/architecture.md describes.

Not behaviour: these read the source. Links to the docs must lead somewhere, imports flow
one way without cycles, and modules stay small enough to review.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "webinar"

#: docs/<file>.md or docs/<file>.md#<anchor>, as comments, templates and the README cite them.
DOC_REFERENCE = re.compile(r"docs/([a-z0-9_-]+\.md)(?:#([a-z0-9-]+))?")
CITING_FILES = [
    *PACKAGE.rglob("*.py"),
    *(ROOT / "templates").rglob("*.html"),
    *(ROOT / "templates").rglob("*.txt"),
    *(ROOT / "tests").rglob("*.py"),
    *(ROOT / "static" / "js").rglob("*.js"),
    *(ROOT / "scripts").rglob("*.py"),
    *(ROOT / "docs").glob("*.md"),
    ROOT / "README.md",
]


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(doc: Path) -> set[str]:
    return {
        _anchor(line.lstrip("#")) for line in doc.read_text().splitlines() if line.startswith("#")
    }


def test_every_reference_to_the_docs_leads_to_a_file_and_heading_that_exist() -> None:
    broken = []
    for path in CITING_FILES:
        if path.name == Path(__file__).name:
            continue
        for match in DOC_REFERENCE.finditer(path.read_text()):
            doc = ROOT / "docs" / match.group(1)
            anchor = match.group(2)
            if not doc.is_file() or (anchor and anchor not in _anchors(doc)):
                broken.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert broken == []


def test_nothing_cites_reference_notes_that_are_not_in_the_repository() -> None:
    outside = re.compile(r"\b(SAFETY|CALENDAR|ARCHITECTURE|STYLE)\.md\b")
    citing = [
        str(path.relative_to(ROOT))
        for path in CITING_FILES
        if path.name != Path(__file__).name and outside.search(path.read_text())
    ]
    assert citing == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The webinar modules a file imports, leaving out imports only for type checkers."""
    tree = ast.parse(path.read_text())
    type_checking_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_checking_only.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_checking_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("webinar")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {imported for imported in _imports(path) if imported in modules}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph[node]:
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _is_routes(module: str) -> bool:
    return ".routes" in module or module.endswith("routes")


def test_the_import_graph_has_no_cycles() -> None:
    assert _cycles(_graph()) == []


def _flows_upward(module: str, imported: str) -> bool:
    """Models import only models and the extensions; only routes import routes."""
    if module.startswith("webinar.models"):
        return not imported.startswith("webinar.models") and imported != "webinar.extensions"
    return _is_routes(imported) and not _is_routes(module) and module != "webinar"


def test_imports_flow_from_routes_to_services_to_models() -> None:
    upward = sorted(
        f"{module} imports {imported}"
        for module, imports in _graph().items()
        for imported in imports
        if _flows_upward(module, imported)
    )
    assert upward == []


MAX_MODULE_LINES = 300


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_modules_stay_small_enough_to_review(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES
