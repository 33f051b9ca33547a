"""The standby behind HUB_DATABASE_READ_URL: how far it lags the primary, as a gauge
scraped with /metrics (`hub_database_replica_lag_seconds`).

The lag is the time since the last transaction the standby replayed, or 0 when it has
replayed everything it received (an idle primary sends nothing, which is not lag); -1
when the standby cannot be reached or is not a standby.
"""

from __future__ import annotations

from prometheus_client import Gauge
from sqlalchemy import text
from sqlalchemy.engine import Engine

_LAG_SQL = text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END"
)

LAG = Gauge(
    "hub_database_replica_lag_seconds",
    "Seconds the read replica (HUB_DATABASE_READ_URL) is behind the primary; -1 unknown",
)


def lag_seconds(engine: Engine) -> float:
    try:
        with engine.connect() as conn:
            value = conn.execute(_LAG_SQL).scalar()
    except Exception:  # unreachable: say so, never fail the scrape
        return -1.0
    return -1.0 if value is None else float(value)


def watch_lag(engine: Engine) -> None:
    """Measure the lag of `engine`'s standby at every scrape."""
    LAG.set_function(lambda: lag_seconds(engine))
