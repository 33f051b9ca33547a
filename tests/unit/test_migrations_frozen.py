"""A migration must not change when live code changes: the SQL it runs and the values it
computes are its own (0155 and 0160 hold frozen copies of their statements). The column
types the schema is declared with (`hub.store.types`) are the one thing shared. One older
revision, written before the rule, still uses live code: 0151 counts working hours with the
live calendar (a copy would freeze the holiday table of its day; the live one is the truer
count of a past interval once the State Council's later notices are in it)."""

from __future__ import annotations

import ast
from pathlib import Path

import hub.store

VERSIONS = Path(hub.store.__file__).parent / "migrations" / "versions"
SHARED = {"hub.store.types"}
#: Imports of live modules that predate the rule (not to be added to).
OLDER = {
    "0151_application_accept_hours.py": {"hub.domain.calendar"},
}


def _hub_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "hub":
            names.update(f"hub.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n == "hub" or n.startswith("hub.")}


def test_no_migration_imports_live_code() -> None:
    files = sorted(VERSIONS.glob("[0-9]*.py"))
    assert any(f.name.startswith("0155") for f in files)
    found = {f.name: live for f in files if (live := _hub_imports(f) - SHARED)}
    assert found == OLDER
