"""A Python client generated from the hub's /openapi.json with openapi-python-client,
imported as a package for the length of a `with`."""

from __future__ import annotations

import contextlib
import importlib
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@contextlib.contextmanager
def generated_client(spec: bytes, where: Path) -> Iterator[tuple[ModuleType, str]]:
    """The package generated from `spec` (OpenAPI JSON) and the generator's report."""
    path = where / "openapi.json"
    path.write_bytes(spec)
    name = f"hub_client_{uuid.uuid4().hex[:8]}"
    done = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(path),
            "--output-path",
            str(where / name),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(name), done.stdout
    finally:
        sys.path.remove(str(where))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]
