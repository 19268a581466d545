"""Sweeps: a sweep's design, its points, and the runs it needs (found in ``runs`` by run key).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sweeps",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("sweep_file", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("info", sa.JSON, nullable=False),
        sa.Column("runs_planned", sa.Integer, nullable=False),
        sa.Column("code_version", sa.String(100), nullable=False),
        sa.Column("hlssim_version", sa.String(50)),
        sa.Column("git_commit", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sweeps_name", "sweeps", ["name"])
    op.create_table(
        "sweep_points",
        sa.Column("sweep_id", sa.String(100), sa.ForeignKey("sweeps.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("point", sa.Integer, primary_key=True),
        sa.Column("params", sa.JSON, nullable=False),
    )
    op.create_table(
        "sweep_runs",
        sa.Column("sweep_id", sa.String(100), sa.ForeignKey("sweeps.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("base", sa.String(200), primary_key=True),
        sa.Column("point", sa.Integer, primary_key=True),
        sa.Column("lever", sa.String(100), primary_key=True),
        sa.Column("seed", sa.Integer, primary_key=True),
        sa.Column("run_key", sa.String(64), nullable=False),
    )
    op.create_index("ix_sweep_runs_run_key", "sweep_runs", ["run_key"])


def downgrade() -> None:
    op.drop_index("ix_sweep_runs_run_key", table_name="sweep_runs")
    op.drop_table("sweep_runs")
    op.drop_table("sweep_points")
    op.drop_index("ix_sweeps_name", table_name="sweeps")
    op.drop_table("sweeps")
