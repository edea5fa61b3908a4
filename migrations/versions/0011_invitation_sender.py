"""invitation sender: who invited an account to help organize a group

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Invitations made before this are from an unknown sender (NULL), as are those whose
    # sender deleted their account.
    with op.batch_alter_table("organizer_invitation") as batch:
        batch.add_column(sa.Column("invited_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_organizer_invitation_invited_by",
            "account",
            ["invited_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("organizer_invitation") as batch:
        batch.drop_constraint("fk_organizer_invitation_invited_by", type_="foreignkey")
        batch.drop_column("invited_by_id")
