"""organize: admins, organizers and their invitations, group review, meeting upkeep,
suggestions, attendance reports and the audit log

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "account", sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "group_review",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["meeting_group.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id"),
    )
    for table, unique in (
        ("group_organizer", "uq_group_organizer"),
        ("organizer_invitation", "uq_organizer_invitation"),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("group_id", sa.Integer(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["group_id"], ["meeting_group.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["user_id"], ["account.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("group_id", "user_id", name=unique),
        )
        op.create_index(f"ix_{table}_user", table, ["user_id"], unique=False)
    op.create_table(
        "meeting_upkeep",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("unpublished", sa.Boolean(), nullable=False),
        sa.Column("unpublished_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_suggestion_meeting", "suggestion", ["meeting_id"], unique=False)
    op.create_table(
        "attendance_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("was_on", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_attendance_report_meeting",
        "attendance_report",
        ["meeting_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entry_group", "audit_entry", ["group_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_entry_group", table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_index("ix_attendance_report_meeting", table_name="attendance_report")
    op.drop_table("attendance_report")
    op.drop_index("ix_suggestion_meeting", table_name="suggestion")
    op.drop_table("suggestion")
    op.drop_table("meeting_upkeep")
    for table in ("organizer_invitation", "group_organizer"):
        op.drop_index(f"ix_{table}_user", table_name=table)
        op.drop_table(table)
    op.drop_table("group_review")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("is_admin")
