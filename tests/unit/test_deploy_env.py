"""`deploy/env.example` lists every `HUB_` variable the code reads, each with its default and
its meaning, and nothing the code no longer reads.

The code's variables are the string constants that are exactly a `HUB_...` name, anywhere in
the packages (`os.environ.get("HUB_X")`, `_int("HUB_X", 5)`, `read("HUB_X", 5)`...): a name
spelled whole is how every setting in the hub is read, so a new setting cannot hide from
this scan. Docstrings and messages mention names inside longer text and are not counted.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
PACKAGES = ("hub", "connectors", "privacy", "schemas")
NAME = re.compile(r"HUB_[A-Z0-9_]*[A-Z0-9]")
LINE = re.compile(r"^#?(HUB_[A-Z0-9_]+)=(.*)$")


def read_by_code() -> dict[str, set[str]]:
    """Each `HUB_` name spelled as a whole string constant, with the files spelling it."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "versions" in path.parts:  # migrations only mention names in docstrings
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and NAME.fullmatch(node.value)
                ):
                    found.setdefault(node.value, set()).add(str(path.relative_to(ROOT)))
    return found


def listed() -> dict[str, list[str]]:
    """Each variable of env.example with the comment block above it."""
    entries: dict[str, list[str]] = {}
    comments: list[str] = []
    for raw in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        match = LINE.match(line)
        if match:
            assert match.group(1) not in entries, f"{match.group(1)} is listed twice"
            entries[match.group(1)] = list(comments)
        elif line.startswith("#"):
            comments.append(line)
        else:  # a blank line ends a block; consecutive variables share the block above
            comments = []
    return entries


def test_the_scan_finds_settings_read_in_every_style() -> None:
    found = read_by_code()
    # config.py helpers, os.environ.get in services, the key loader, the server options
    for name in ("HUB_SHARED_K", "HUB_CASE_FILE_BYTES", "HUB_AUDIT_KEY", "HUB_TRUSTED_PROXIES"):
        assert name in found
    assert len(found) > 50


def test_every_variable_the_code_reads_is_in_env_example() -> None:
    missing = read_by_code().keys() - listed().keys()
    assert not missing, (
        f"add these to deploy/env.example with their default and meaning: {sorted(missing)}"
    )


def test_env_example_lists_nothing_the_code_does_not_read() -> None:
    unused = listed().keys() - read_by_code().keys()
    assert not unused, f"no code reads these any more; remove them: {sorted(unused)}"


@pytest.mark.parametrize("name", sorted(listed()))
def test_each_variable_says_its_default_and_meaning(name: str) -> None:
    block = listed()[name]
    defaults = [c for c in block if c.lower().startswith("# default:")]
    meaning = [c for c in block if not c.lower().startswith("# default:") and len(c) > 12]
    assert defaults, f"{name}: the comment above it needs a '# default: ...' line"
    assert meaning, f"{name}: the comment above it needs a line saying what it does"


def test_env_example_is_plain_key_value_for_systemd_and_compose() -> None:
    """systemd's EnvironmentFile and compose's env_file read quotes and `$` differently: the
    example uses neither, so both read the same values."""
    for number, raw in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("HUB_"):
            value = raw.partition("=")[2]
            assert not re.search(r"[\"'$`\s]", value), f"line {number}: {raw}"


def values() -> tuple[dict[str, str], dict[str, str]]:
    """The lines that set a value, and the shown defaults (a commented line whose block does
    not say the default is unset)."""
    active: dict[str, str] = {}
    shown: dict[str, str] = {}
    for name, block in listed().items():
        for raw in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
            if raw.startswith(f"{name}="):
                active[name] = raw.partition("=")[2]
            elif raw.startswith(f"#{name}=") and raw.partition("=")[2]:
                default = next(c for c in block if c.lower().startswith("# default:"))
                if not default.lower().startswith("# default: unset"):
                    shown[name] = raw.partition("=")[2]
    return active, shown


SNAPSHOT = """
import json
from dataclasses import asdict
from types import SimpleNamespace
from hub.config import Settings
from hub.services.audit_trail import checkpoint_file
settings = Settings.from_env()
snapshot = asdict(settings)
# the file in effect: unset means one beside the data
snapshot["audit"]["checkpoint_file"] = checkpoint_file(SimpleNamespace(settings=settings))
print(json.dumps(snapshot, default=str, sort_keys=True))
"""


def settings_with(env: dict[str, str]) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    done = subprocess.run(
        [sys.executable, "-c", SNAPSHOT],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    parsed: dict[str, object] = json.loads(done.stdout)  # 5 == 5.0: values, not spellings
    return parsed


def test_the_shown_defaults_are_the_defaults() -> None:
    """Setting every shown default changes no setting: the file tells the truth about them."""
    active, shown = values()
    assert len(shown) > 40
    base = settings_with(active)
    assert settings_with({**active, **shown}) == base
    one = settings_with({**active, "HUB_DECIDE_DAYS": "4"})
    assert one != base  # the snapshot sees a changed setting
