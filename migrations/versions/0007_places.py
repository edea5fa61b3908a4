"""places as the source means them: rough points, places without coordinates, derived attendance

A street address geocoded only to its city or ZIP code keeps being a room
(`rough_point`); an online meeting may have no coordinates at all. Feeds'
`attendance_option` is no longer stored: attendance is derived from the place
and the links, as the Meeting Guide spec says, so it is cleared here (the next
import of each feed also re-reads which places are areas).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATE = sa.table("search_state", sa.column("id", sa.Integer), sa.column("version", sa.BigInteger))
CHANGE = sa.table(
    "search_change",
    sa.column("version", sa.BigInteger),
    sa.column("kind", sa.String),
    sa.column("entity_id", sa.BigInteger),
)


def upgrade() -> None:
    with op.batch_alter_table("location") as batch:
        batch.add_column(
            sa.Column("rough_point", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.alter_column("latitude", existing_type=sa.Float(), nullable=True)
        batch.alter_column("longitude", existing_type=sa.Float(), nullable=True)
    meeting = sa.table("meeting", sa.column("attendance_option", sa.String))
    conn = op.get_bind()
    changed = conn.execute(
        meeting.update().where(meeting.c.attendance_option != "").values(attendance_option="")
    ).rowcount
    if changed:  # running search indexes reload everything
        conn.execute(sa.update(STATE).where(STATE.c.id == 1).values(version=STATE.c.version + 1))
        since = sa.select(STATE.c.version, sa.literal("*"), sa.literal(0)).where(STATE.c.id == 1)
        conn.execute(sa.insert(CHANGE).from_select(["version", "kind", "entity_id"], since))


def downgrade() -> None:
    # Places without coordinates had none before: put them at 0,0, which imports read as missing.
    location = sa.table(
        "location", sa.column("latitude", sa.Float), sa.column("longitude", sa.Float)
    )
    op.execute(
        location.update().where(location.c.latitude.is_(None)).values(latitude=0.0, longitude=0.0)
    )
    with op.batch_alter_table("location") as batch:
        batch.alter_column("latitude", existing_type=sa.Float(), nullable=False)
        batch.alter_column("longitude", existing_type=sa.Float(), nullable=False)
        batch.drop_column("rough_point")
