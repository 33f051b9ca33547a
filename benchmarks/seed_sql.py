"""`reads_volume.py --seed-sql`: N cases written by SQL, NOT imported (PostgreSQL, SQLite).

`hub import cases` takes 200-1,000 cases/s, too slow for 1,000,000 or 5,000,000 cases. This
fills `application` with one INSERT ... SELECT over generate_series (SQLite: a recursive
CTE) (received over the year before `now`, the demo registry's mediation bodies, every
category and district, a mix of statuses and outcomes, a decide-by deadline per accepted
case, some of them late, marked reminded, overdue and escalated as a running scheduler
would have), the parties' blind indexes as intake writes them (`party_index`: one
applicant and one respondent per case; one case in four against one of 500 repeated
respondents, so that mass-dispute alerts exist) and their tally (hub.store.respondent_tally),
then the statistics' rollups (stats_rollup, then stats_daily from it: hub.store.stats_rollup;
the cases' late_since and stats_daily's late count: hub.store.stats_late).
The rows go in in order of receipt, as a live hub writes them (a 30-day period is then a
twelfth of the table's pages, not a scatter over all of them). No events, referrals or
audit: figures from it are "seeded by SQL, not imported".
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from datetime import datetime
from typing import Any

from cases_file import CATEGORIES, DISTRICTS, _registry

from hub.store import respondent_tally, stats_late
from hub.store.stats_rollup import daily_fill_sql, fill_sql

_CASES = """
INSERT INTO application (no, region, day, sequence, channel, category, district, status,
    arbitration_agreement, returned_by, submitted_by_role, query_code_hash, personal,
    received_at, created_at, updated_at, version, institution_id, dispatched_at,
    accepted_at, accept_hours, outcome, closed_at)
SELECT 'SQL' || lpad(g::text, 12, '0'), '310000', date '2026-01-01', g,
    CASE WHEN g %% 10 < 7 THEN 'online' ELSE 'window' END,
    (%(cats)s::text[])[1 + g %% %(ncats)s], (%(dists)s::text[])[1 + (g / 7) %% %(ndists)s],
    CASE WHEN r < 8 THEN 'dispatched' WHEN r < 18 THEN 'rejected' WHEN r < 40 THEN 'accepted'
         WHEN r < 75 THEN 'closed_success' ELSE 'closed_failure' END,
    false, '[]', 'import', 'seeded', 'seeded', t, t, t, 1,
    (%(insts)s::text[])[1 + (g / 3) %% %(ninsts)s], t + interval '1 hour',
    CASE WHEN r >= 18 THEN t + (1 + g %% 90) * interval '1 hour' END,
    CASE WHEN r >= 18 THEN (1 + g %% 90)::float END,
    CASE WHEN r >= 75 THEN 'failure' WHEN r >= 40 THEN 'success' END,
    CASE WHEN r >= 40 THEN t + interval '30 days' END
FROM (SELECT g, ((g::bigint * 7919) %% 100)::int AS r,
             %(now)s - ((g::bigint * 104729) %% 31104000) * interval '1 second' AS t
      FROM generate_series(1, %(n)s) AS g) AS s
ORDER BY t
"""
# The same on SQLite: timestamps as SQLAlchemy stores them there (UTC text, microseconds).
_TS = "strftime('%%Y-%%m-%%d %%H:%%M:%%S.000000', {}, 'unixepoch')"
_CASES_SQLITE = f"""
WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n)
INSERT INTO application (no, region, day, sequence, channel, category, district, status,
    arbitration_agreement, returned_by, submitted_by_role, query_code_hash, personal,
    received_at, created_at, updated_at, version, institution_id, dispatched_at,
    accepted_at, accept_hours, outcome, closed_at)
SELECT 'SQL' || printf('%012d', g), '310000', '2026-01-01', g,
    CASE WHEN g % 10 < 7 THEN 'online' ELSE 'window' END,
    json_extract(:cats, '$[' || (g % :ncats) || ']'),
    json_extract(:dists, '$[' || ((g / 7) % :ndists) || ']'),
    CASE WHEN r < 8 THEN 'dispatched' WHEN r < 18 THEN 'rejected' WHEN r < 40 THEN 'accepted'
         WHEN r < 75 THEN 'closed_success' ELSE 'closed_failure' END,
    0, '[]', 'import', 'seeded', 'seeded', {_TS.format("e")}, {_TS.format("e")},
    {_TS.format("e")}, 1, json_extract(:insts, '$[' || ((g / 3) % :ninsts) || ']'),
    {_TS.format("e + 3600")},
    CASE WHEN r >= 18 THEN {_TS.format("e + (1 + g % 90) * 3600")} END,
    CASE WHEN r >= 18 THEN (1 + g % 90) * 1.0 END,
    CASE WHEN r >= 75 THEN 'failure' WHEN r >= 40 THEN 'success' END,
    CASE WHEN r >= 40 THEN {_TS.format("e + 30 * 86400")} END
FROM (SELECT g, (g * 7919) % 100 AS r, :epoch - (g * 104729) % 31104000 AS e FROM s)
ORDER BY e
""".replace("%%", "%")
# The parties' blind indexes, as intake writes them (hub.services.intake): one applicant and
# one respondent row per case, created when the case is. Applicants are all different; one
# case in four is against one of `pool` respondents (employers, landlords: the mass
# disputes), the others against a respondent of their own.
_PARTIES = """
INSERT INTO party_index (application_no, role, value, received_at, created_at)
SELECT no, role, CASE
        WHEN role = 'respondent' AND sequence %% 4 = 0
        THEN (%(pool)s::text[])[1 + (sequence / 4) %% %(npool)s]
        ELSE encode(sha256((role || no)::bytea), 'hex') END,
    received_at, created_at
FROM application, (VALUES ('applicant'), ('respondent')) AS r(role)
ORDER BY received_at, no, role
"""
_PARTIES_SQLITE = """
INSERT INTO party_index (application_no, role, value, received_at, created_at)
SELECT no, role, CASE
        WHEN role = 'respondent' AND sequence % 4 = 0
        THEN json_extract(:pool, '$[' || ((sequence / 4) % :npool) || ']')
        ELSE lower(hex(randomblob(32))) END,
    received_at, created_at
FROM application, (SELECT 'applicant' AS role UNION ALL SELECT 'respondent')
ORDER BY received_at, no, role
"""
_DEADLINES = """
INSERT INTO deadline (application_no, kind, due_at, met_at, provisional)
SELECT no, 'decide_by', accepted_at + interval '30 days',
       CASE WHEN sequence % 3 = 0 THEN accepted_at + interval '40 days' END, false
FROM application WHERE status = 'accepted'
"""
_DEADLINES_SQLITE = f"""
INSERT INTO deadline (application_no, kind, due_at, met_at, provisional)
SELECT no, 'decide_by', {_TS.format("unixepoch(accepted_at) + 30 * 86400")},
       CASE WHEN sequence % 3 = 0 THEN {_TS.format("unixepoch(accepted_at) + 40 * 86400")} END,
       0
FROM application WHERE status = 'accepted'
""".replace("%%", "%")
# What the scheduler of a hub that had been running would have marked (reminded 4 h before,
# overdue when due, escalated a day after, while still open): without it the benchmark's
# `hub serve` spends its first minutes catching up on 660,000 overdue deadlines beside the
# reads it times.
_MARKED = """
UPDATE deadline SET
    reminded_at = CASE WHEN due_at - interval '4 hours' < coalesce(met_at, now())
                       THEN due_at - interval '4 hours' END,
    overdue_at = CASE WHEN due_at < coalesce(met_at, now()) THEN due_at END,
    escalated_at = CASE WHEN due_at + interval '1 day' < coalesce(met_at, now())
                        THEN due_at + interval '1 day' END
"""
_MARKED_SQLITE = f"""
UPDATE deadline SET
    reminded_at = CASE WHEN unixepoch(due_at) - 4 * 3600 < coalesce(unixepoch(met_at), :epoch)
                       THEN {_TS.format("unixepoch(due_at) - 4 * 3600")} END,
    overdue_at = CASE WHEN unixepoch(due_at) < coalesce(unixepoch(met_at), :epoch)
                      THEN due_at END,
    escalated_at = CASE WHEN unixepoch(due_at) + 86400 < coalesce(unixepoch(met_at), :epoch)
                        THEN {_TS.format("unixepoch(due_at) + 86400")} END
""".replace("%%", "%")

#: The repeated respondents' blind indexes (64 hex digits, as hub.vault's).
POOL = [hashlib.sha256(f"respondent {i}".encode()).hexdigest() for i in range(500)]


def seed(url: str, n: int, now: datetime) -> None:
    mediation, _courts = _registry()
    cats = sorted(c for c in CATEGORIES if c != "labor")
    dists = sorted(DISTRICTS)
    now = now.replace(microsecond=0)
    params: dict[str, Any] = {
        "cats": cats,
        "ncats": len(cats),
        "dists": dists,
        "ndists": len(dists),
        "insts": mediation,
        "ninsts": len(mediation),
        "now": now,
        "n": n,
        "pool": POOL,
        "npool": len(POOL),
    }
    started = time.monotonic()
    if url.startswith("sqlite"):
        _seed_sqlite(url.split("///", 1)[1], params)
    else:
        _seed_postgresql(url, params)
    print(f"seeded by SQL, not imported: {n:,} cases in {time.monotonic() - started:.0f} s")


def _seed_postgresql(url: str, params: dict[str, Any]) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute(_CASES, params)
        conn.execute(_PARTIES, params)
        conn.execute(respondent_tally.fill_sql())
        conn.execute(_DEADLINES)
        conn.execute(_MARKED)
        conn.execute("DELETE FROM stats_rollup")
        conn.execute("DELETE FROM stats_daily")
        conn.execute(fill_sql("postgresql"))
        conn.execute(daily_fill_sql())
        conn.execute(stats_late.fill_sql("postgresql"))
        conn.execute(stats_late.daily_fill_sql("postgresql"))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def _seed_sqlite(path: str, params: dict[str, Any]) -> None:
    p = {
        **{k: json.dumps(v) if isinstance(v, list) else v for k, v in params.items()},
        "epoch": int(params["now"].timestamp()),
    }
    del p["now"]
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute(_CASES_SQLITE, p)
        conn.execute(_PARTIES_SQLITE, {"pool": p["pool"], "npool": p["npool"]})
        conn.execute(respondent_tally.fill_sql())
        conn.execute(_DEADLINES_SQLITE)
        conn.execute(_MARKED_SQLITE, {"epoch": p["epoch"]})
        conn.execute("DELETE FROM stats_rollup")
        conn.execute("DELETE FROM stats_daily")
        conn.execute(fill_sql("sqlite"))
        conn.execute(daily_fill_sql())
        conn.execute(stats_late.fill_sql("sqlite"))
        conn.execute(stats_late.daily_fill_sql("sqlite"))
        conn.commit()
        conn.execute("ANALYZE")
    finally:
        conn.close()
