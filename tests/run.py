"""The suite's one entry point: `./dev test` and CI's `.ci/run` both come here.

Runs pytest over `tests/`, in one worker process per core (pytest-xdist, at most 4; pass
`-n 0` for a single process, or `-n N`): every test has its own database and broker prefix,
so tests share nothing but the machine's services. Under `CI=true` every broker and
database test must reach the real RabbitMQ and PostgreSQL (the fixtures fail instead of
skipping). A run that executes no test is a failure, never a pass.

Tests marked `solo` (the RabbitMQ cluster, whose repeat bound of 2 % measures delivery and
not how busy the machine is) run after the others, alone, when the whole suite is run.
"""

from __future__ import annotations

import os
import sys

import pytest


def workers(args: list[str]) -> list[str]:
    """`-n` for the run unless the caller chose one."""
    if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        return []
    return ["-n", str(min(os.cpu_count() or 1, 4))]


def _run(args: list[str]) -> int:
    code = int(pytest.main(["-p", "no:cacheprovider", *args]))
    if code == int(pytest.ExitCode.NO_TESTS_COLLECTED):
        print("no test was executed: that is a failure", file=sys.stderr)
        return 1
    return code


def main() -> int:
    args = sys.argv[1:]
    if args:  # the caller chose what to run
        return _run([*workers(args), *args])
    first = _run([*workers(args), "-m", "not solo"])
    second = _run(["-n", "0", "-m", "solo"])
    return first or second


if __name__ == "__main__":
    sys.exit(main())
