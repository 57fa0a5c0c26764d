"""The first schema: boards, their update log and snapshots, votes, custom templates.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# As server/storage/tables.py: SQLite only auto-increments an INTEGER PRIMARY KEY.
_LOG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("join_code", sa.String(16), nullable=False, unique=True),
        sa.Column("join_open", sa.Boolean, nullable=False),
        sa.Column("facilitator_token_sha256", sa.String(64), nullable=False),
        sa.Column("participant_token", sa.String(64), nullable=False),
        sa.Column("observer_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "updates",
        sa.Column("id", _LOG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("doc", sa.String(80), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_updates_board_doc_id", "updates", ["board_id", "doc", "id"])
    op.create_table(
        "snapshots",
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("doc", sa.String(80), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("covered_id", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "votes",
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("participant_id", sa.String(64), primary_key=True),
        sa.Column("note_id", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "custom_templates",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("custom_templates", "votes", "snapshots", "updates", "boards"):
        op.drop_table(table)
