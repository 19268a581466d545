"""The store's tables (SQLAlchemy Core). Alembic migrations in ``migrations/`` create and upgrade them.

- ``runs``: one row per run: scenario, resolved parameters, seed, weeks, code version,
  git commit, started and finished time, status (``complete`` or ``failed``), and where its
  parameters depart from its scenario file (``scenario_diff``: key -> the file's value; NULL for
  runs stored before schema 0003);
- ``timeseries``: one row per run and week, the week's measures as one JSON object;
- ``summaries``: one row per run and summary key, a number (NaN is stored as NULL);
- ``sweeps``: one row per sweep: its id, name, file and the file's text, the design (JSON),
  the number of runs planned, code version and git commit;
- ``sweep_points``: one row per sweep and design point, the uncertain parameters' values (``params``, JSON);
- ``sweep_runs``: one row per run a sweep needs (base, point, lever, seed) and the run key that
  finds it in ``runs``; written whole when the sweep is first started, so its progress is the
  share of these keys that have a completed run;
- ``alembic_version``: the schema version.
"""

from __future__ import annotations

import sqlalchemy as sa

COMPLETE, FAILED = "complete", "failed"

metadata = sa.MetaData()

runs = sa.Table(
    "runs", metadata,
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
    sa.Column("scenario_diff", sa.JSON),
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
    sa.Index("ix_runs_series_key", "series_key"),
    sa.Index("ix_runs_scenario", "scenario"),
)

timeseries = sa.Table(
    "timeseries", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("week", sa.Integer, primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),
)

summaries = sa.Table(
    "summaries", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("value", sa.Double),
)

sweeps = sa.Table(
    "sweeps", metadata,
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
    sa.Index("ix_sweeps_name", "name"),
)

sweep_points = sa.Table(
    "sweep_points", metadata,
    sa.Column("sweep_id", sa.String(100), sa.ForeignKey("sweeps.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("point", sa.Integer, primary_key=True),
    sa.Column("params", sa.JSON, nullable=False),
)

sweep_runs = sa.Table(
    "sweep_runs", metadata,
    sa.Column("sweep_id", sa.String(100), sa.ForeignKey("sweeps.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("base", sa.String(200), primary_key=True),
    sa.Column("point", sa.Integer, primary_key=True),
    sa.Column("lever", sa.String(100), primary_key=True),
    sa.Column("seed", sa.Integer, primary_key=True),
    sa.Column("run_key", sa.String(64), nullable=False),
    sa.Index("ix_sweep_runs_run_key", "run_key"),
)

RUN_COLUMNS = ("id", "scenario", "regime", "seed", "weeks", "status", "series_key", "run_key", "code_version",
               "git_commit", "started_at", "finished_at", "scenario_file", "error")
# The metadata columns of a ``Store.runs()`` frame (``id`` is ``run_id`` there); every other column is a summary key.
META_COLUMNS = frozenset({"run_id", *RUN_COLUMNS[1:]})
