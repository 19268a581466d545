"""Levers compared point by point: means over seeds, paired differences with intervals, who is ahead, and regret.

Every lever at a design point ran on the same seeds, so a difference is taken seed by seed and
then summarised: its mean and a 90% t-interval over seeds (none with a single seed). A value that
is structurally undefined (NaN, e.g. ``cost_per_flourishing_gain`` when spend bought no net gain)
stays NaN: it is never counted as zero, and a lever with no value cannot be ahead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..experiments.sweeps.outcomes import DERIVED, better, derived
from .choices import CHOICES

POINT = ["base", "point"]


def with_derived(frame: pd.DataFrame, info: dict[str, Any]) -> pd.DataFrame:
    """The sweep's runs with the derived readings added and levers in the file's order (every outcome has
    a column, even before any run is stored)."""
    out = frame.reindex(columns=[*frame.columns, *(k for k in info["outcomes"] if k not in frame)])
    if len(out):
        extra = pd.DataFrame([derived(row, info["weeks"]) for row in out.to_dict("records")], index=out.index)
        out[list(DERIVED)] = extra[list(DERIVED)]
    else:
        for key in DERIVED:
            out[key] = pd.Series(dtype=float)
    out["lever"] = pd.Categorical(out["lever"], categories=info["levers"], ordered=True)
    return out


def point_means(frame: pd.DataFrame, info: dict[str, Any]) -> pd.DataFrame:
    """One row per base, point and lever: each outcome's mean over seeds, and the point's parameter values."""
    keys = list(info["uncertainties"])
    grouped = frame.groupby([*POINT, "lever"], observed=True)
    means = grouped[info["outcomes"]].mean().reset_index()
    means["seeds"] = grouped.size().to_numpy()
    values = frame.drop_duplicates(POINT)[[*POINT, *keys]]
    return means.merge(values, on=POINT, how="left")


def _interval(values: np.ndarray) -> tuple[float, float, float, int]:
    """Mean and 90% t-interval of the seed-by-seed differences (NaN seeds left out)."""
    values = values[~np.isnan(values)]
    n = values.size
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(values.mean())
    if n == 1:
        return mean, np.nan, np.nan, 1
    half = stats.t.ppf(0.5 + CHOICES.confidence / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half, n


def differences(frame: pd.DataFrame, info: dict[str, Any]) -> pd.DataFrame:
    """Long table: for each base, point, lever other than the first (the baseline) and outcome, the paired
    difference lever - baseline over seeds: mean, 90% interval (low, high) and seeds it rests on."""
    levers, keys = info["levers"], list(info["uncertainties"])
    columns = [*POINT, "lever", "baseline", "outcome", "mean", "low", "high", "seeds", *keys]
    if len(levers) < 2 or frame.empty:
        return pd.DataFrame(columns=columns)
    baseline = levers[0]
    wide = frame.pivot_table(index=[*POINT, "seed"], columns="lever", values=info["outcomes"],
                             observed=True, dropna=False)
    values = frame.drop_duplicates(POINT).set_index(POINT)[keys]
    rows = []
    for lever in levers[1:]:
        for outcome in info["outcomes"]:
            if (outcome, lever) not in wide or (outcome, baseline) not in wide:
                continue
            diff = (wide[(outcome, lever)] - wide[(outcome, baseline)]).rename("d").reset_index()
            for (base, point), part in diff.groupby(POINT):
                mean, low, high, n = _interval(part["d"].to_numpy(dtype=float))
                rows.append({"base": base, "point": point, "lever": lever, "baseline": baseline, "outcome": outcome,
                             "mean": mean, "low": low, "high": high, "seeds": n,
                             **values.loc[(base, point)].to_dict()})
    return pd.DataFrame(rows, columns=columns)


def signed(values: pd.Series | np.ndarray, direction: str):
    """Values turned so that more is better (lower-is-better outcomes are negated)."""
    return values if direction == "higher" else -values


def winners(means: pd.DataFrame, outcome: str, direction: str) -> pd.DataFrame:
    """Per base and point: the lever ahead on ``outcome`` (None where levers tie or none has a value)."""
    rows = []
    for (base, point), part in means.groupby(POINT, observed=True):
        score = signed(part[outcome].to_numpy(dtype=float), direction)
        ok = ~np.isnan(score)
        best = score[ok].max() if ok.any() else np.nan
        top = part["lever"].to_numpy()[ok & (score == best)]
        rows.append({"base": base, "point": point, "winner": str(top[0]) if len(top) == 1 else None})
    return pd.DataFrame(rows, columns=[*POINT, "winner"])


def robustness(means: pd.DataFrame, info: dict[str, Any]) -> pd.DataFrame:
    """Per lever and outcome with a usual direction: the share of points where it is ahead, and its regret
    (how far behind the best lever at that point, in the outcome's units): median and 90th percentile.

    A lever with no value for an outcome anywhere (its mechanism cannot act under that lever, so the report
    blanked it) is left out of that outcome's contest, and an outcome that fewer than two levers can move has
    no contest at all: being "ahead" of a lever that cannot park is no finding."""
    rows = []
    chosen = {d["outcome"]: d["better"] for d in [info["decide"], *info.get("decide_also", [])]}
    for outcome in info["outcomes"]:
        direction = chosen.get(outcome, better(outcome))
        if direction is None:
            continue
        live = [lever for lever in info["levers"] if means.loc[means.lever == lever, outcome].notna().any()]
        contest = means[means.lever.isin(live)] if len(live) >= 2 else means.iloc[0:0]
        score = contest.assign(score=signed(contest[outcome].astype(float), direction))
        best = score.groupby(POINT, observed=True)["score"].transform("max")
        score["regret"] = best - score["score"]
        ahead = winners(contest, outcome, direction)
        points = len(ahead)
        for lever in info["levers"]:
            mine = score[score.lever == lever]
            regret = mine["regret"].dropna()
            values = means.loc[means.lever == lever, outcome]
            rows.append({"outcome": outcome, "better": direction, "lever": lever,
                         "ahead_share": float((ahead.winner == lever).sum() / points) if points and lever in live
                         else np.nan,
                         "regret_median": float(regret.median()) if len(regret) else np.nan,
                         "regret_p90": float(regret.quantile(0.9)) if len(regret) else np.nan,
                         "na_share": float(values.isna().mean()) if len(values) else np.nan})
    return pd.DataFrame(rows)
