"""Configuration only through `hub.config` (issue 13, item 5): no module of the hub or the
connectors reads the environment itself, except the bootstrap (which hands the demo's key
file to `privacy.config`) and the Alembic scripts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hub.config import LogSettings, Settings

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"hub/config.py", "hub/bootstrap.py"}


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        attribute = (
            isinstance(node, ast.Attribute)
            and node.attr in ("environ", "getenv", "environb")
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        )
        imported = (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv") for a in node.names)
        )
        if attribute or imported:
            lines.append(node.lineno)
    return lines


def test_only_the_configuration_reads_the_environment() -> None:
    found = []
    for top in ("hub", "connectors"):
        for path in sorted((ROOT / top).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ALLOWED or "/migrations/" in name:
                continue
            found += [f"{name}:{n}" for n in _reads_environment(ast.parse(path.read_text()))]
    assert found == []


def test_the_check_sees_a_read() -> None:
    assert _reads_environment(ast.parse("import os\nx = os.environ.get('A')")) == [2]
    assert _reads_environment(ast.parse("from os import getenv")) == [1]


def test_settings_read_their_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_CASE_FILE_BYTES", "1000")
    monkeypatch.setenv("HUB_COMPLAINTS_PER_PARTY_HOUR", "3")
    monkeypatch.setenv("HUB_SCHEDULER", "off")
    monkeypatch.setenv("HUB_LOG_FORMAT", "json")
    settings = Settings.from_env()
    assert settings.case_file_bytes == 1000
    assert settings.complaints.per_party == 3
    assert settings.scheduler.in_server is False
    assert settings.logs.format == "json"
    monkeypatch.setenv("HUB_LOG_FORMAT", "xml")
    with pytest.raises(ValueError):
        LogSettings.from_env()
