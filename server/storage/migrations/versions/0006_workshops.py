"""Workshops: several boards (one per table and a plenary) behind one join code and one set of
tokens.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("join_code", sa.String(16), nullable=False, unique=True),
        sa.Column("join_open", sa.Boolean, nullable=False),
        sa.Column("facilitator_token_sha256", sa.String(64), nullable=False),
        sa.Column("participant_token", sa.String(64), nullable=False),
        sa.Column("observer_token", sa.String(64), nullable=False),
        sa.Column("rounds", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "workshop_boards",
        sa.Column(
            "workshop_id",
            sa.String(32),
            sa.ForeignKey("workshops.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "board_id",
            sa.String(32),
            sa.ForeignKey("boards.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
    )
    op.create_index("ix_workshop_boards_workshop", "workshop_boards", ["workshop_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_workshop_boards_workshop", "workshop_boards")
    op.drop_table("workshop_boards")
    op.drop_table("workshops")
