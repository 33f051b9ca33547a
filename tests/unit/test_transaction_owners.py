"""Units of work are opened only by entrypoints (issue 13, item 1; docs/internals.md): an
HTTP route, a web page, the scheduler, a connector, the relay, a command. Services, the
store and privacy receive the caller's session and never open one of their own.

Read from the source with `ast`: `<...>.db.transaction`, `<...>.db.run` (called or handed
on, as in `run_in_threadpool(ctx.db.run, work)`) and `<...engine>.begin` open a
transaction."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hub", "connectors", "privacy", "schemas")

#: The modules that open units of work, and why they may.
ENTRYPOINTS: dict[str, str] = {
    "hub/store/db.py": "the Database that hands units of work out",
    "hub/api/support.py": "HTTP routes: in_transaction, creating",
    "hub/web/pages.py": "web pages: write, once",
    "hub/web/signin.py": "sign-in and sign-out pages",
    "hub/ops/scheduler.py": "the scheduler: one unit of work per deadline acted on",
    "connectors/inbound.py": "the inbound connector: one per message",
    "connectors/journal.py": "the connectors' record of what went out: one per message",
    "hub/broker/deadletters.py": "the dead-letter queue's consumer: one per letter",
    "hub/broker/relay_claims.py": "the relay's claims of outbox rows",
    "hub/api/token_cache.py": "the API's background writer of tokens' last use",
    "hub/server.py": "`hub serve --demo`: the demo tokens",
    "hub/audit_checkpointer.py": "signed audit checkpoints, on a timer and on demand",
    "hub/api/intake_batch.py": "HTTP intake's group commit: one unit of work a batch",
    "hub/import_runs.py": "the import (CLI and route): one unit of work a batch of lines",
}


def is_command(path: str) -> bool:
    """A console command (`hub/cli.py`, `hub/ops/cli.py`, `hub/*_cli.py`): one unit of work
    per command, or one per step of a long one."""
    name = Path(path).name
    return path.startswith("hub/") and (name == "cli.py" or name.endswith("_cli.py"))


def _receiver(node: ast.expr) -> str:
    """The last name of what an attribute is taken of: `ctx.db` -> `db`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def opened(source: str) -> Iterator[int]:
    """The lines of `source` that open a transaction."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        receiver = _receiver(node.value)
        if (node.attr in ("transaction", "run") and receiver == "db") or (
            node.attr == "begin" and "engine" in receiver
        ):
            yield node.lineno


def openers() -> dict[str, list[int]]:
    """Every module of ours that opens a transaction -> the lines where it does."""
    found: dict[str, list[int]] = {}
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = list(opened(path.read_text(encoding="utf-8")))
            if lines:
                found[path.relative_to(ROOT).as_posix()] = lines
    return found


def test_the_detector_sees_each_way_of_opening_a_transaction() -> None:
    source = (
        "with ctx.db.transaction() as s:\n    pass\n"
        "ctx.db.run(work)\n"
        "run_in_threadpool(self.ctx.db.run, work)\n"
        "with self.engine.begin() as conn:\n    pass\n"
        "with ctx.db.read() as s:\n    pass\n"
        "relay.run()\n"
        "session.begin_nested()\n"
    )
    assert sorted(opened(source)) == [1, 3, 4, 5]


def test_only_entrypoints_open_units_of_work() -> None:
    strays = {
        path: lines
        for path, lines in openers().items()
        if path not in ENTRYPOINTS and not is_command(path)
    }
    assert not strays, (
        f"these modules open a transaction but are no entrypoint: {strays}; take the "
        "caller's session (the route, page, scheduler, connector or command opens it)"
    )


def test_each_entrypoint_listed_exists() -> None:
    missing = sorted(path for path in ENTRYPOINTS if not (ROOT / path).is_file())
    assert not missing, missing


def test_commands_are_told_from_services() -> None:
    assert is_command("hub/cli.py") and is_command("hub/ops/cli.py")
    assert is_command("hub/privacy_cli.py")
    assert not is_command("hub/services/clinic.py") and not is_command("connectors/cli.py")
