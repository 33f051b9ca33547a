"""What a newcomer met trying the README: `hub demo` says how to sign in, and an operator's
typo (a missing or unreadable file, a wrong argument) is one line, Chinese first, never a
traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.rabbit_nodes import free_port


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HUB_AMQP_URL", None)
    env.update({"HUB_DATA_DIR": str(tmp_path), "HUB_DATABASE_URL": f"sqlite:///{tmp_path}/h.db"})
    return env


def _hub(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args],
        env={**_env(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line(done: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = [ln for ln in done.stderr.splitlines() if ln.strip() and " WARNING hub." not in ln]
    assert len(lines) == 1, done.stderr
    line = lines[0]
    assert re.search(r"[\u4e00-\u9fff][^/]* ?/ [A-Za-z]", line), line  # Chinese, then English
    return line


def test_a_registry_file_that_is_missing_or_not_json_is_one_line(tmp_path: Path) -> None:
    assert _hub(tmp_path, "db", "upgrade").returncode == 0
    line = _one_line(_hub(tmp_path, "registry", "load", str(tmp_path / "missing.yaml")))
    assert "无法读取名录文件" in line and "cannot read the registry file" in line
    prose = tmp_path / "notes.json"
    prose.write_text("# not JSON\n", encoding="utf-8")
    assert "cannot read the registry file" in _one_line(
        _hub(tmp_path, "registry", "load", str(prose))
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("units: [\n  ```\n", encoding="utf-8")
    assert "cannot read the registry file" in _one_line(
        _hub(tmp_path, "registry", "load", str(broken))
    )


def test_a_calendar_file_that_is_not_yaml_is_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "2027.yaml"
    notes.write_text("# 2027\n\n```\nholidays: []\n```\n", encoding="utf-8")
    line = _one_line(_hub(tmp_path, "calendar", "load", str(notes)))
    assert "cannot read the calendar file" in line and "cannot start any token" in line


def test_a_token_list_that_cannot_reach_the_database_prints_no_header(tmp_path: Path) -> None:
    done = _hub(tmp_path, "token", "list", HUB_DATABASE_URL="postgresql://nobody@127.0.0.1:1/x")
    assert "cannot reach the database" in _one_line(done, code=3)
    assert done.stdout == ""


def test_a_bundle_check_without_its_key_is_one_line(tmp_path: Path) -> None:
    line = _one_line(
        _hub(tmp_path, "bundle", "verify", "x.bundle", "--public-key", str(tmp_path / "no.pem"))
    )
    assert "cannot read the public key or the bundle" in line


@pytest.mark.parametrize(
    "pem",
    [
        "garbage\n",
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAnotavalidkey=\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    ],
)
def test_a_malformed_bundle_key_is_one_chinese_first_line(tmp_path: Path, pem: str) -> None:
    key = tmp_path / "bad.pem"
    key.write_text(pem)
    bundle = tmp_path / "x.bundle"
    bundle.write_bytes(b"{}")
    line = _one_line(_hub(tmp_path, "bundle", "verify", str(bundle), "--public-key", str(key)))
    assert line.startswith("公钥格式有误") and "must be a PEM Ed25519 public key" in line, line
    assert "cryptography" not in line and "http" not in line and len(line) < 250


def test_a_wrong_argument_is_one_line_naming_the_command(tmp_path: Path) -> None:
    line = _one_line(_hub(tmp_path, "token", "issue", "--role", "portal", "--expires", "abc"))
    zh, en = line.split(" / ", 1)  # one language each half
    assert zh.startswith("参数有误") and en.startswith("bad arguments: hub token issue:"), line
    assert "--expires" in line and "hub token issue --help" in line
    assert "invalid choice" in _one_line(_hub(tmp_path, "no-such-command"))


def test_the_demo_says_where_and_how_to_sign_in(tmp_path: Path) -> None:
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "demo", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    printed: list[str] = []
    try:
        assert demo.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            printed.append(line)
            if "is serving at" in line:
                break
    finally:
        demo.terminate()
        demo.wait(timeout=30)
    text = "".join(printed)
    url = f"http://127.0.0.1:{port}"
    assert f"is serving at {url}" in text, text
    assert f"{url}/web/login" in text and f"{url}/web/status" in text
    assert "hub user add --login" in text and "one-time password" in text
    assert text.count(" institution ") >= 2  # the institution tokens the hint points to
