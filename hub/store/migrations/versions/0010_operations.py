"""operations: registry governance, institution history, complaints, online help

Revision ID: 0010
Revises: 0001
Create Date: 2026-11-23 04:00:00
"""
from __future__ import annotations

from datetime import UTC, datetime
import re
from pathlib import Path

import sqlalchemy as sa
import sqlmodel  # noqa: F401
import yaml
from alembic import op

import hub.store.types

revision = '0010'
down_revision = '0001'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
# YAML folding joins lines with a space; Chinese text wants none next to Chinese characters.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
_TS = hub.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table('registry_change',
    sa.Column('id', _S(length=36), nullable=False),
    sa.Column('action', _S(length=10), nullable=False),
    sa.Column('institution_id', _S(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('secret_sealed', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', _S(length=10), nullable=False),
    sa.Column('requested_by_role', _S(length=20), nullable=False),
    sa.Column('requested_by_party', _S(length=64), nullable=True),
    sa.Column('requested_by_token', _S(length=36), nullable=False),
    sa.Column('decided_by_role', _S(length=20), nullable=True),
    sa.Column('decided_by_party', _S(length=64), nullable=True),
    sa.Column('decided_by_token', _S(length=36), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('created_at', _TS(timezone=True), nullable=False),
    sa.Column('decided_at', _TS(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_registry_change_institution_id', 'registry_change', ['institution_id'])
    op.create_index('ix_registry_change_status', 'registry_change', ['status'])
    op.create_index('ix_registry_change_requested_by_party', 'registry_change',
                    ['requested_by_party'])
    op.create_table('institution_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', _S(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('valid_from', _TS(timezone=True), nullable=False),
    sa.Column('valid_to', _TS(timezone=True), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('source', _S(length=20), nullable=False),
    sa.Column('change_id', _S(length=36), nullable=True),
    sa.Column('recorded_at', _TS(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('institution_id', 'version', name='uq_institution_version')
    )
    op.create_index('ix_institution_version_valid', 'institution_version',
                    ['institution_id', 'valid_from'])
    op.create_table('ops_counter',
    sa.Column('name', _S(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'day')
    )
    op.create_table('complaint',
    sa.Column('no', _S(length=24), nullable=False),
    sa.Column('institution_id', _S(length=64), nullable=False),
    sa.Column('unit_id', _S(length=64), nullable=False),
    sa.Column('type', _S(length=20), nullable=False),
    sa.Column('application_no', _S(length=24), nullable=True),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('contact_index', _S(length=64), nullable=False),
    sa.Column('query_code_hash', _S(length=64), nullable=False),
    sa.Column('status', _S(length=20), nullable=False),
    sa.Column('answer_sealed', sa.Text(), nullable=True),
    sa.Column('answered_by', _S(length=64), nullable=True),
    sa.Column('submitted_by_role', _S(length=20), nullable=False),
    sa.Column('submitted_by_party', _S(length=64), nullable=True),
    sa.Column('created_at', _TS(timezone=True), nullable=False),
    sa.Column('answered_at', _TS(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('no')
    )
    for column in ('institution_id', 'unit_id', 'application_no', 'contact_index', 'status',
                   'created_at'):
        op.create_index(f'ix_complaint_{column}', 'complaint', [column])
    help_article = op.create_table('help_article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', _S(length=80), nullable=True),
    sa.Column('title', _S(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category', _S(length=40), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('author', _S(length=64), nullable=False),
    sa.Column('created_at', _TS(timezone=True), nullable=False),
    sa.Column('updated_at', _TS(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    seed = Path(hub.store.types.__file__).resolve().parent.parent / 'ops' / 'help_seed.yaml'
    at = datetime(2026, 11, 23, tzinfo=UTC)
    rows = yaml.safe_load(seed.read_text(encoding='utf-8'))
    op.bulk_insert(help_article, [
        {'slug': r['slug'], 'title': r['title'], 'body': _CJK_GAP.sub('', r['body']),
         'category': r.get('category'), 'tags': r.get('tags', []), 'author': 'seed',
         'created_at': at, 'updated_at': at}
        for r in rows
    ])


def downgrade() -> None:
    op.drop_table('help_article')
    for column in ('institution_id', 'unit_id', 'application_no', 'contact_index', 'status',
                   'created_at'):
        op.drop_index(f'ix_complaint_{column}', table_name='complaint')
    op.drop_table('complaint')
    op.drop_table('ops_counter')
    op.drop_index('ix_institution_version_valid', table_name='institution_version')
    op.drop_table('institution_version')
    op.drop_index('ix_registry_change_requested_by_party', table_name='registry_change')
    op.drop_index('ix_registry_change_status', table_name='registry_change')
    op.drop_index('ix_registry_change_institution_id', table_name='registry_change')
    op.drop_table('registry_change')
