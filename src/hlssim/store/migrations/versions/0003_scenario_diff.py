"""Each run records where its parameters depart from its scenario file (``runs.scenario_diff``).

NULL for runs stored before: hlssim then reads their departures off the scenario file as it is now.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("scenario_diff", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("scenario_diff")
