"""Build a migrated hub with the demo registry on a given database, for tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub.bootstrap import bootstrap, default_registry_file
from hub.clock import Clock, FakeClock, SystemClock
from hub.config import Settings, SharingSettings
from hub.services.context import HubContext
from hub.services.registry import load
from hub.store.migrate import upgrade

#: argon2id at a test's cost: the tests check what a hash is for, not how long it takes
#: (production's cost is `Settings`' default, checked in tests/unit/test_accounts_passwords).
CHEAP_PASSWORDS = {"password_time_cost": 1, "password_memory_kib": 8192, "password_parallelism": 1}


def make_hub(
    url: str, tmp: Path, *, now: datetime | None = None, registry: Path | None = None
) -> HubContext:
    upgrade(url)
    settings = Settings(
        database_url=url,
        amqp_url=None,
        region="310000",
        data_dir=tmp,
        sharing=SharingSettings.from_env(),  # tests run with a settle time of 0
        **CHEAP_PASSWORDS,
    )
    clock: Clock = FakeClock(now) if now is not None else SystemClock()
    ctx = bootstrap(settings, clock=clock, pool_size=5)
    ctx.db.run(lambda s: load(ctx, s, registry or default_registry_file()))
    return ctx
