"""Front-line workers and their teams (one manager each) as numpy arrays, one row per slot or team."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Workers:
    """Front-line workers by slot; a leaver's slot is filled by a new worker."""

    team: np.ndarray         # (M,) team index
    motivation: np.ndarray   # (M,) intrinsic motivation in [0, 1]
    motivation_start: np.ndarray
    honesty: np.ndarray      # (M,) moral cost felt in misreporting
    stress: np.ndarray       # (M,) in [0, 1]
    hired_week: np.ndarray   # (M,)
    admin_hours: np.ndarray = field(default=None)
    relational_hours: np.ndarray = field(default=None)
    sensitivity: np.ndarray = field(default=None)  # (M,) how strongly workload turns into stress
    skill: np.ndarray = field(default=None)        # (M,) standard normal score of how effective the worker is
    favourite: np.ndarray = field(default=None)    # (M,) the option the worker favours when money is theirs to spend
    bad_practice: np.ndarray = field(default=None)  # (M,) bool, the worker's practice has drifted into a bad habit
    worker_id: np.ndarray = field(default=None)    # (M,) who holds the slot: a new id for every hire
    stake: np.ndarray = field(default=None)      # (M,) what one more reported success is worth to the worker
    extrinsic: np.ndarray = field(default=None)  # (M,) weight on the proxy relative to the citizen

    def __post_init__(self):
        m = self.team.shape[0]
        self.admin_hours = np.zeros(m)
        self.relational_hours = np.zeros(m)
        self.stake = np.zeros(m)
        self.extrinsic = np.zeros(m)
        if self.sensitivity is None:
            self.sensitivity = np.ones(m)
        if self.skill is None:
            self.skill = np.zeros(m)
        if self.favourite is None:
            self.favourite = np.zeros(m, dtype=np.int64)
        self.bad_practice = np.zeros(m, dtype=bool)
        self.worker_id = np.arange(m)

    @property
    def count(self) -> int:
        return self.team.shape[0]


@dataclass
class Teams:
    """Teams and what their managers hold: targets, shared knowledge, how fast they explore."""

    knowledge: np.ndarray     # (T, K, D) team's belief about average effects
    provider: np.ndarray      # (T,) provider organisation the team belongs to
    target: np.ndarray        # (T,) target success rate on the proxy
    exploration: np.ndarray   # (T,) chance a worker tries another option
    period_closed: np.ndarray = field(default=None)
    period_reported: np.ndarray = field(default=None)
    gap: np.ndarray = field(default=None)            # (T,) shortfall against target, felt as pressure
    sanctioned: np.ndarray = field(default=None)     # (T,) bool, missed target last period
    obs_sum: np.ndarray = field(default=None)        # (T, K, D) observed effects this cycle
    obs_count: np.ndarray = field(default=None)      # (T, K)
    error_sum: np.ndarray = field(default=None)      # (T,) prediction error this cycle
    error_count: np.ndarray = field(default=None)
    last_error: np.ndarray = field(default=None)
    pathway_case_weeks: np.ndarray = field(default=None)  # (T, K) case-weeks the team has delivered each pathway

    def __post_init__(self):
        t, k, d = self.knowledge.shape
        self.period_closed = np.zeros(t)
        self.period_reported = np.zeros(t)
        self.gap = np.zeros(t)
        self.sanctioned = np.zeros(t, dtype=bool)
        self.obs_sum = np.zeros((t, k, d))
        self.obs_count = np.zeros((t, k))
        self.error_sum = np.zeros(t)
        self.error_count = np.zeros(t)
        self.last_error = np.full(t, np.nan)
        self.pathway_case_weeks = np.zeros((t, k))

    @property
    def count(self) -> int:
        return self.target.shape[0]


def worker_provider(workers: Workers, teams: Teams) -> np.ndarray:
    """The provider organisation each worker slot belongs to, through its team."""
    return teams.provider[workers.team]
