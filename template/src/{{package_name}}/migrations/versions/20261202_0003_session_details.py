"""Sessions gain their end, their last authentication and its methods, their last use, and
the device they were opened from.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for column in ("expires_at", "auth_time", "last_used_at"):
        op.add_column("auth_sessions", sa.Column(column, sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "auth_sessions",
        sa.Column(
            "amr", sa.ARRAY(sa.String(length=16)), nullable=False, server_default=sa.text("'{}'")
        ),
    )
    op.alter_column("auth_sessions", "amr", server_default=None)
    op.add_column(
        "auth_sessions",
        sa.Column("user_agent", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
    )
    op.add_column(
        "auth_sessions",
        sa.Column("ip_address", sqlmodel.sql.sqltypes.AutoString(length=45), nullable=True),
    )
    # The sessions open now: authenticated and last used when they began (nothing better is
    # known), ending 90 days after it, as SESSION_MAX_AGE_DAYS does by default.
    op.execute(
        "UPDATE auth_sessions SET auth_time = created_at, last_used_at = created_at,"
        " expires_at = created_at + interval '90 days'"
    )
    for column in ("expires_at", "auth_time", "last_used_at"):
        op.alter_column("auth_sessions", column, nullable=False)


def downgrade() -> None:
    for column in ("ip_address", "user_agent", "amr", "last_used_at", "auth_time", "expires_at"):
        op.drop_column("auth_sessions", column)
