"""The layout rules a newcomer relies on (docs/architecture.md): imports run one way, modules stay small.

The import graph is read from the source with `ast`, function-level imports included, so a
cycle cannot hide inside a function.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("apps", "project", "frontend")
MAX_MODULE_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules that `name` imports anywhere in its body (`from a import b` may name a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            candidates = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for candidate in candidates:
            # `import apps.jobs.events` also runs apps.jobs and apps; only the named module counts here.
            if candidate in known and candidate != name:
                targets.add(candidate)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_of_the_product_code_has_no_cycle():
    graph = _graph()
    assert len(graph) > 50, "the walk found too few modules to mean anything"
    assert _cycles(graph) == []


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function():
    """The check above would pass on an empty graph; prove it sees what it is there to see."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    source = "def f():\n    from apps.jobs import tasks\n"
    tree_imports = {n.module for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
    assert tree_imports == {"apps.jobs"}


# Loaded after django.setup() by asgi.py / Django itself: the explicit lists of routes live there.
_AFTER_SETUP = {"urls.py", "routing.py"}


def test_project_imports_no_app_module_at_import_time():
    """Settings, the Celery app and the CLI load before the apps are ready: they name apps in
    strings and import them inside the functions that run later, never on load."""
    offenders = []
    for path in (ROOT / "project").rglob("*.py"):
        if path.name in _AFTER_SETUP:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in tree.body:  # module level only: functions run after apps are ready
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("apps"):
                offenders.append(f"{path.relative_to(ROOT)}: from {node.module} import …")
            if isinstance(node, ast.Import) and any(a.name.startswith("apps") for a in node.names):
                offenders.append(f"{path.relative_to(ROOT)}: import …")
    assert offenders == []


def test_no_product_module_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): n for path in _modules().values()
            if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES}
    assert long == {}
