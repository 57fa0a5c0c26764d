"""The trash of deleted notes and the boards' earlier versions.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# As server/storage/tables.py: SQLite only auto-increments an INTEGER PRIMARY KEY.
_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _board_id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "board_id", sa.String(32), sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "trash",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        _board_id(),
        sa.Column("note_id", sa.String(255), nullable=False),
        sa.Column("author_id", sa.String(64), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("deleted_at_ms", sa.Float, nullable=False),
        sa.Column("deleted_by_id", sa.String(64), nullable=False),
        sa.Column("deleted_by_name", sa.String(80), nullable=False),
        sa.Column("deleted_by_role", sa.String(16), nullable=False),
    )
    op.create_index("ix_trash_board_id", "trash", ["board_id", "id"])
    op.create_table(
        "versions",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        _board_id(),
        sa.Column("created_at_ms", sa.Float, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("made_by", sa.String(200), nullable=False),
        sa.Column("note_count", sa.Integer, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("layout", sa.LargeBinary, nullable=False),
        sa.Column("notes", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_versions_board_id", "versions", ["board_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_versions_board_id", "versions")
    op.drop_table("versions")
    op.drop_index("ix_trash_board_id", "trash")
    op.drop_table("trash")
