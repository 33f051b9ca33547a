"""`reads_volume.py --seed-sql`: N cases written by SQL, NOT imported (PostgreSQL only).

`hub import cases` takes 200-1,000 cases/s, too slow for 1,000,000 or 5,000,000 cases. This
fills `application` with one INSERT ... SELECT over generate_series (received over the
year before `now`, the demo registry's mediation bodies, every category and district, a
mix of statuses and outcomes, a decide-by deadline per accepted case, some of them late,
marked reminded, overdue and escalated as a running scheduler would have),
then the statistics' rollups (stats_rollup, then stats_daily from it: hub.store.stats_rollup).
The rows go in in order of receipt, as a live hub writes them (a 30-day period is then a
twelfth of the table's pages, not a scatter over all of them). No events, parties,
referrals or audit: figures from it are "seeded by SQL, not imported".
"""

from __future__ import annotations

import time
from datetime import datetime

import psycopg
from cases_file import CATEGORIES, DISTRICTS, _registry

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
_DEADLINES = """
INSERT INTO deadline (application_no, kind, due_at, met_at, provisional)
SELECT no, 'decide_by', accepted_at + interval '30 days',
       CASE WHEN sequence % 3 = 0 THEN accepted_at + interval '40 days' END, false
FROM application WHERE status = 'accepted'
"""
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


def seed(url: str, n: int, now: datetime) -> None:
    mediation, _courts = _registry()
    cats = sorted(c for c in CATEGORIES if c != "labor")
    dists = sorted(DISTRICTS)
    params = {
        "cats": cats,
        "ncats": len(cats),
        "dists": dists,
        "ndists": len(dists),
        "insts": mediation,
        "ninsts": len(mediation),
        "now": now,
        "n": n,
    }
    started = time.monotonic()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute(_CASES, params)
        conn.execute(_DEADLINES)
        conn.execute(_MARKED)
        conn.execute("DELETE FROM stats_rollup")
        conn.execute("DELETE FROM stats_daily")
        conn.execute(fill_sql("postgresql"))
        conn.execute(daily_fill_sql())
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    print(f"seeded by SQL, not imported: {n:,} cases in {time.monotonic() - started:.0f} s")
