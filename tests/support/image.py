"""What `deploy/Dockerfile` installs, without Docker: the files its build stage copies, and
the wheel `pip install .` builds from exactly those."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, continuation lines joined."""
    lines = [
        ln for ln in DOCKERFILE.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    text = re.sub(r"\\\n", " ", "\n".join(lines))
    out = []
    for line in text.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def build_copies() -> list[str]:
    """The sources the build stage copies from the context (before its first FROM after)."""
    sources: list[str] = []
    stages = 0
    for word, rest in instructions():
        stages += word == "FROM"
        if stages == 1 and word == "COPY" and "--from" not in rest:
            sources.extend(shlex.split(rest)[:-1])
    return sources


def build_wheel(tmp: Path) -> Path:
    """The wheel the image's `pip install .` builds, from a context of the copied files only."""
    context = tmp / "src"
    context.mkdir()
    for source in build_copies():
        if (ROOT / source).is_dir():
            shutil.copytree(
                ROOT / source,
                context / source,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        else:
            shutil.copy(ROOT / source, context / source)
    out = tmp / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from setuptools import build_meta; build_meta.build_wheel({str(out)!r})",
        ],
        cwd=context,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("*.whl")
    return wheel
