"""External tools the deployment tests run (systemd-analyze, kubectl, nginx, docker).

A tool that Debian's archive ships is part of what CI must have, so under `CI=true` its
absence fails the test; a tool Debian does not ship (kubectl, docker's compose plugin) or
one whose package would start a server on the machine (nginx) only skips.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(tool: str, *, debian_package: str | None = None, why_optional: str = "") -> str:
    """The tool's path; else a failure under CI when `debian_package` installs it, else a skip."""
    path = shutil.which(tool)
    if path:
        return path
    if debian_package and IN_CI:
        pytest.fail(f"{tool} is missing: `apt-get install {debian_package}` (CI runs this check)")
    pytest.skip(f"{tool} is not installed here{': ' + why_optional if why_optional else ''}")
