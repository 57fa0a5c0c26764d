"""Snapshot parts: a big document's log, merged a bounded slice at a time.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# As server/storage/tables.py: SQLite only auto-increments an INTEGER PRIMARY KEY.
_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "snapshot_parts",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("doc", sa.String(80), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_snapshot_parts_board_doc_id", "snapshot_parts", ["board_id", "doc", "id"])


def downgrade() -> None:
    op.drop_index("ix_snapshot_parts_board_doc_id", "snapshot_parts")
    op.drop_table("snapshot_parts")
