"""The suite's one entry point: `./dev test` and CI's `.ci/run` both come here.

Runs pytest over `tests/`. Under `CI=true` every broker and database test must reach the
real RabbitMQ and PostgreSQL (the fixtures fail instead of skipping). A run that executes
no test is a failure, never a pass.
"""

from __future__ import annotations

import sys

import pytest


def main() -> int:
    code = int(pytest.main(["-p", "no:cacheprovider", *sys.argv[1:]]))
    if code == int(pytest.ExitCode.NO_TESTS_COLLECTED):
        print("no test was executed: that is a failure", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
