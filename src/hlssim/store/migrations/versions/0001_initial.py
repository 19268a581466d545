"""Initial schema: runs, weekly time series and summaries.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_key", sa.String(64), nullable=False),
        sa.Column("series_key", sa.String(64), nullable=False),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("scenario_file", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("regime", sa.String(16)),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("weeks", sa.Integer, nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("overrides", sa.JSON, nullable=False),
        sa.Column("code_version", sa.String(100), nullable=False),
        sa.Column("hlssim_version", sa.String(50)),
        sa.Column("git_commit", sa.String(64)),
        sa.Column("provenance", sa.JSON),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("run_key", name="uq_runs_run_key"),
        sa.CheckConstraint("status IN ('complete', 'failed')", name="ck_runs_status"),
    )
    op.create_index("ix_runs_series_key", "runs", ["series_key"])
    op.create_index("ix_runs_scenario", "runs", ["scenario"])
    op.create_table(
        "timeseries",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("week", sa.Integer, primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "summaries",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("value", sa.Double),
    )


def downgrade() -> None:
    op.drop_table("summaries")
    op.drop_table("timeseries")
    op.drop_index("ix_runs_scenario", table_name="runs")
    op.drop_index("ix_runs_series_key", table_name="runs")
    op.drop_table("runs")
