"""listing updated: when a feed says its listing last changed; demo links that reach nobody

meeting.listing_updated_at keeps a feed's own `updated` time (UTC), shown as
"Last updated" instead of the import date. Demo meetings loaded before this
revision carried real-looking Zoom links and real Zoom dial-ins: they are
rewritten to the reserved example.com domain and fictional 555-01xx numbers
(search indexes are told to reload when any row changed).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MEETING = sa.table(
    "meeting",
    sa.column("id", sa.Integer),
    sa.column("source_id", sa.Integer),
    sa.column("conference_url", sa.String),
    sa.column("conference_phone", sa.String),
)
SOURCE = sa.table("source", sa.column("id", sa.Integer), sa.column("kind", sa.String))
STATE = sa.table("search_state", sa.column("id", sa.Integer), sa.column("version", sa.BigInteger))
CHANGE = sa.table(
    "search_change",
    sa.column("version", sa.BigInteger),
    sa.column("kind", sa.String),
    sa.column("entity_id", sa.BigInteger),
)


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listing_updated_at", sa.DateTime(), nullable=True))
    make_demo_links_unreachable()


def make_demo_links_unreachable() -> None:
    """Point earlier demo meetings' join links and dial-ins at addresses that cannot exist."""
    conn = op.get_bind()
    demo = MEETING.c.source_id.in_(sa.select(SOURCE.c.id).where(SOURCE.c.kind == "demo"))
    meeting_id = sa.cast(MEETING.c.id, sa.String(20))
    url, phone = MEETING.c.conference_url, MEETING.c.conference_phone
    links = conn.execute(
        sa.update(MEETING)
        .where(demo, url != "", ~url.like("https://meet.example.com/%"))
        .values(conference_url=sa.literal("https://meet.example.com/demo/") + meeting_id)
    ).rowcount
    phones = conn.execute(
        sa.update(MEETING)
        .where(demo, phone != "", ~phone.like("+1___55501__,,%"))
        .values(conference_phone=sa.literal("+12125550100,,") + meeting_id + sa.literal("#"))
    ).rowcount
    if links or phones:  # running search indexes reload everything
        conn.execute(sa.update(STATE).where(STATE.c.id == 1).values(version=STATE.c.version + 1))
        since = sa.select(STATE.c.version, sa.literal("*"), sa.literal(0)).where(STATE.c.id == 1)
        conn.execute(sa.insert(CHANGE).from_select(["version", "kind", "entity_id"], since))


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("listing_updated_at")
