"""Another hub process changing the registry, as an operator's approval on another node
would: `python -m tests.support.other_node DATABASE_URL ACTION ARGS...`.

Its own process, so none of this process's caches hear of the change except through the
database (the registry's revision).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(database_url: str, action: str, *args: str) -> None:
    """Run ACTION in a child process and wait for it (raises if it failed)."""
    subprocess.run(
        [sys.executable, "-m", "tests.support.other_node", database_url, action, *args],
        check=True,
        capture_output=True,
        timeout=60,
    )


def main(argv: list[str]) -> None:
    import tempfile

    from hub.bootstrap import bootstrap
    from hub.config import Settings
    from hub.store.models import Institution
    from tests.support.broker import set_delivery

    url, action, *args = argv
    with tempfile.TemporaryDirectory() as tmp:
        ctx = bootstrap(
            Settings(database_url=url, amqp_url=None, region="310000", data_dir=Path(tmp))
        )
        try:
            if action == "delivery":  # party kind [url]
                set_delivery(ctx, args[0], args[1], args[2] if len(args) > 2 else None)
            elif action == "categories":  # institution category,category,...
                with ctx.db.transaction() as session:
                    inst = session.get(Institution, args[0])
                    assert inst is not None
                    inst.categories = [c for c in args[1].split(",") if c]
                    session.add(inst)
            else:
                raise SystemExit(f"unknown action {action}")
        finally:
            ctx.db.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
