"""party_index.received_at and respondent_tally: the mass-dispute alert at volume

`GET /v1/alerts` groups the respondents of the cases received in the last 30 days. With
the time only on `application`, the database joined every party_index row (a hash join
over the whole history: 1.1-1.2 s at 1,000,000 cases, for a window of 8 % of them). Each
row now carries its case's `received_at` (set once, at intake or import, like the case's
own), indexed with the role first, so a window is one range of one index:
`ix_party_index_role_received` (role, received_at, value, application_no) for the groups,
`ix_party_index_role_value_received` (role, value, received_at, application_no), replacing
(role, value), for the cases of the respondents it counts. Existing rows are filled from
their case (from their own created_at if the case is gone).

Reading every respondent of the window still grew with the cases (a sort of 83,000 rows at
1,000,000 cases, 270 ms): `respondent_tally` holds per respondent index how many cases name
it and the latest received_at (kept in the write path, hub.store.respondent_tally), its
partial index the respondents named more than once by the time they were last named; only
those received in the window are counted. Filled here from party_index.

Revision ID: 0180
Revises: 0160
Create Date: 2026-12-03 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hub.store.types import UTCDateTime

revision = "0180"
down_revision = "0160"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("party_index") as batch:
        batch.add_column(sa.Column("received_at", UTCDateTime(), nullable=True))
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.text(
                "UPDATE party_index AS p SET received_at = a.received_at "
                "FROM application AS a WHERE a.no = p.application_no"
            )
        )
    else:
        conn.execute(
            sa.text(
                "UPDATE party_index SET received_at = (SELECT a.received_at FROM application "
                "AS a WHERE a.no = party_index.application_no)"
            )
        )
    conn.execute(
        sa.text("UPDATE party_index SET received_at = created_at WHERE received_at IS NULL")
    )
    with op.batch_alter_table("party_index") as batch:
        batch.alter_column("received_at", existing_type=UTCDateTime(), nullable=False)
    op.drop_index("ix_party_index_role_value", table_name="party_index")
    op.create_index(
        "ix_party_index_role_received",
        "party_index",
        ["role", "received_at", "value", "application_no"],
    )
    op.create_index(
        "ix_party_index_role_value_received",
        "party_index",
        ["role", "value", "received_at", "application_no"],
    )
    op.create_table(
        "respondent_tally",
        sa.Column("value", sa.String(length=64), primary_key=True),
        sa.Column("cases", sa.BigInteger(), nullable=False),
        sa.Column("last_received_at", UTCDateTime(), nullable=False),
    )
    conn.execute(
        sa.text(
            "INSERT INTO respondent_tally (value, cases, last_received_at) "
            "SELECT value, count(DISTINCT application_no), max(received_at) FROM party_index "
            "WHERE role = 'respondent' GROUP BY value"
        )
    )
    op.create_index(
        "ix_respondent_tally_repeated",
        "respondent_tally",
        ["last_received_at"],
        postgresql_where=sa.text("cases >= 2"),
        sqlite_where=sa.text("cases >= 2"),
    )


def downgrade() -> None:
    op.drop_index("ix_respondent_tally_repeated", table_name="respondent_tally")
    op.drop_table("respondent_tally")
    op.drop_index("ix_party_index_role_value_received", table_name="party_index")
    op.drop_index("ix_party_index_role_received", table_name="party_index")
    op.create_index("ix_party_index_role_value", "party_index", ["role", "value"])
    with op.batch_alter_table("party_index") as batch:
        batch.drop_column("received_at")
