"""Custom templates get an owner (the digest of the key handed to their author) and a name and
description the owner may change.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("custom_templates") as table:
        table.add_column(sa.Column("owner_sha256", sa.String(64), nullable=True))
        table.add_column(sa.Column("name", sa.String(200), nullable=True))
        table.add_column(sa.Column("description", sa.Text, nullable=True))
    op.create_index("ix_custom_templates_owner", "custom_templates", ["owner_sha256"])


def downgrade() -> None:
    op.drop_index("ix_custom_templates_owner", "custom_templates")
    with op.batch_alter_table("custom_templates") as table:
        table.drop_column("description")
        table.drop_column("name")
        table.drop_column("owner_sha256")
