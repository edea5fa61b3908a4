"""listing identity: slugs kept as feeds give them, a meeting's earlier slugs, its feed id

meeting.slug and favorite.meeting_slug grow to 255 characters (feeds' slugs are no
longer cut to 64);
meeting.feed_slug keeps the slug exactly as the feed gave it and meeting.feed_id
the feed's own id (TSML `id`), so a meeting whose slug changes at its source is
still the same meeting. meeting_slug keeps every slug a meeting had before: its
page redirects from there, and no other meeting is ever given it.
meeting.duplicate_of_id marks the same meeting listed by two sources (searches
show the first listing only).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.alter_column(
            "slug", existing_type=sa.String(length=100), type_=sa.String(length=255),
            existing_nullable=False,
        )  # fmt: skip
        batch_op.add_column(sa.Column("feed_slug", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("feed_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_meeting_duplicate_of", "meeting", ["duplicate_of_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("favorite", schema=None) as batch_op:
        batch_op.alter_column(
            "meeting_slug", existing_type=sa.String(length=100), type_=sa.String(length=255),
            existing_nullable=False,
        )  # fmt: skip
    op.create_table(
        "meeting_slug",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=255), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )


def downgrade() -> None:
    op.drop_table("meeting_slug")
    with op.batch_alter_table("favorite", schema=None) as batch_op:
        batch_op.alter_column(
            "meeting_slug", existing_type=sa.String(length=255), type_=sa.String(length=100),
            existing_nullable=False,
        )  # fmt: skip
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint("fk_meeting_duplicate_of", type_="foreignkey")
        batch_op.drop_column("duplicate_of_id")
        batch_op.drop_column("feed_id")
        batch_op.drop_column("feed_slug")
        batch_op.alter_column(
            "slug", existing_type=sa.String(length=255), type_=sa.String(length=100),
            existing_nullable=False,
        )  # fmt: skip
