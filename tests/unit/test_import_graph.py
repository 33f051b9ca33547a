"""No import cycles between the hub's packages (issue 13, item 5): each package sits above
the ones it imports, so a newcomer can read the layers bottom up (docs/internals.md).

The graph is read from the source with `ast`, imports inside functions included: a lazy
import that closes a cycle is still a cycle, only hidden."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hub", "connectors", "privacy", "schemas")


def _modules() -> Iterator[tuple[str, Path]]:
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic scripts, loaded by file, not imported
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def package_of(module: str) -> str:
    """The node a module belongs to: `hub.<sub>` for the hub's subpackages and top-level
    modules (`hub.config` is its own node), the top-level name for the others."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "hub" and len(parts) > 1 else parts[0]


def imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import of one of our packages in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join([*base, *([node.module] if node.module else [])])]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                yield name, node.lineno


def package_graph() -> dict[str, dict[str, str]]:
    """package -> imported package -> one place that imports it (`module:line`)."""
    graph: dict[str, dict[str, str]] = {}
    for module, path in _modules():
        source = package_of(module)
        for name, line in imported(module, path):
            target = package_of(name)
            if target != source:
                graph.setdefault(source, {}).setdefault(target, f"{module}:{line}")
    return graph


def cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_packages_import_one_another_without_cycles() -> None:
    graph = package_graph()
    assert {"hub.api", "hub.services", "hub.store", "hub.domain"} <= set(graph)
    found = cycles(graph)
    where = [
        f"{a} -> {b} ({graph[a][b]})" for c in found for a in c for b in c if b in graph.get(a, {})
    ]
    assert found == [], where


def test_a_cycle_would_be_found() -> None:
    """The check itself: a made-up back edge from the store to the API is a cycle."""
    graph = package_graph()
    graph.setdefault("hub.store", {})["hub.api"] = "made up"
    assert any({"hub.api", "hub.store"} <= set(c) for c in cycles(graph))


def test_the_pure_layers_import_no_outer_layer() -> None:
    """docs/internals.md: the domain, schemas and privacy never reach the store, the API,
    the services or the web."""
    graph = package_graph()
    outer = {"hub.store", "hub.api", "hub.services", "hub.web", "hub.broker", "hub.ops"}
    for pure in ("hub.domain", "schemas", "privacy"):
        assert not (set(graph.get(pure, {})) & outer), (pure, graph.get(pure))
