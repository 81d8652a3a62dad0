"""E-mail login's addresses, in a schema of their own; adopts those users kept before 0.4.0.

Revision ID: email_login_0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "email_login_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "email_login"
# Where services rendered before 0.4.0 kept the addresses.
LEGACY_COLUMNS = ("email", "is_email_verified", "pending_email")


def upgrade() -> None:
    op.create_table(
        "email_addresses",
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("pending_email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_addresses_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_email_addresses")),
        sa.UniqueConstraint("email", name=op.f("uq_email_addresses_email")),
        schema=SCHEMA,
    )
    users = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("users")}
    if users.issuperset(LEGACY_COLUMNS):
        # An address was only ever set on users once verified.
        op.execute(
            "INSERT INTO email_login.email_addresses (user_id, email, pending_email)"
            " SELECT id, email, pending_email FROM users"
            " WHERE email IS NOT NULL OR pending_email IS NOT NULL"
        )
        op.drop_constraint("uq_users_email", "users", type_="unique")
        for column in LEGACY_COLUMNS:
            op.drop_column("users", column)


def downgrade() -> None:
    op.drop_table("email_addresses", schema=SCHEMA)
