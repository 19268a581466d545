"""A sweep's report: the tables, the PRIM boxes, the sensitivity indices and the figures, written to one folder.

``build`` reads a stored sweep and answers its questions: who is ahead where (paired differences,
PRIM boxes for each lever being ahead, regret), and what the answers hang on (Sobol, Morris or
rank correlation). ``write`` puts everything under ``results/sweeps/SWEEP_ID/``: the runs as a
tidy table (CSV and Parquet), the analysis tables, ``report.md`` for people, ``summary.json`` for
programs, ``provenance.json`` and the sweep file as it was, and three figures. Files are
replaced whole, so a reader never sees half of one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..outputs.applicability import not_applicable_each
from ..store import sweeps as stored
from ..store.runs import Store
from ..util.files import replace_files
from ..util.jsonsafe import json_safe
from . import figures
from .discovery import Box, boxes_table, find_box, trajectories_table
from .places import SWEEP_REPORTS
from .paired import POINT, differences, point_means, robustness, winners, with_derived
from .sensitivity import MEASURES, indices, method_for, ranked

DEFAULT_ROOT = SWEEP_REPORTS
MAX_RESPONSE_OUTCOMES, MAX_RESPONSE_PARAMS = 5, 8


def decisions(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The sweep's answers, in order: ``decide`` first, then any further ones (``decide_also``)."""
    return [info["decide"], *info.get("decide_also", [])]


@dataclass
class SweepReport:
    """Everything a sweep's report says, as tables (the figures are drawn from these)."""

    sweep_id: str
    info: dict[str, Any]
    record: dict[str, Any]
    progress: stored.Progress
    runs: pd.DataFrame
    means: pd.DataFrame
    differences: pd.DataFrame
    robustness: pd.DataFrame
    sensitivity: pd.DataFrame
    boxes: list[Box] = field(default_factory=list)
    threshold: float | None = None

    @property
    def keys(self) -> list[str]:
        return list(self.info["uncertainties"])

    @property
    def outside_note(self) -> str:
        """Where the sweep leaves the plausible ranges, and why (its file says)."""
        reasons = self.info.get("outside_plausible") or {}
        if not reasons:
            return ""
        return "Ranges beyond the plausible ones (docs/parameters.md), as the file explains: " + "; ".join(
            f"`{k}`: {why}" for k, why in reasons.items()) + "."

    @property
    def comparisons(self) -> list[str]:
        """The levers compared with the baseline (the first lever); none with a single lever."""
        return self.info["levers"][1:]


def build(store: Store, sweep_id: str) -> SweepReport:
    """Read a stored sweep (complete or not) and compute its tables and PRIM boxes."""
    record = stored.record(store, sweep_id)
    info = record["info"]
    runs = with_derived(blank_not_applicable(store, stored.frame(store, sweep_id)), info)
    means = point_means(runs, info)
    report = SweepReport(sweep_id, info, record, stored.progress(store, sweep_id), runs, means,
                         differences(runs, info), robustness(means, info) if len(info["levers"]) > 1 else
                         pd.DataFrame(), pd.DataFrame())
    report.sensitivity = _sensitivity(report)
    report.boxes = _boxes(report)
    return report


def blank_not_applicable(store: Store, runs: pd.DataFrame) -> pd.DataFrame:
    """The runs with every summary key whose mechanism cannot act in that run (hlssim.outputs.applicability)
    blanked to NaN: a lever that cannot park is not "ahead" on parking, and a 0 it could not help is no finding.
    The analyses already leave NaN out and count it under n/a."""
    if runs.empty:
        return runs
    params = store.params(runs["run_id"])
    settings = runs["run_id"].map(lambda run_id: json.dumps(params[run_id], sort_keys=True, default=str))
    out = runs.copy()
    for key, rows in settings.groupby(settings).groups.items():   # the same at every seed of a point and lever
        # A run's own summary can say what never happened in it.
        each = not_applicable_each(json.loads(key), out.loc[rows].to_dict("records"))
        for row, keys in zip(rows, each, strict=True):
            blank = [k for k in keys if k in out.columns]
            if blank:
                out.loc[row, blank] = np.nan
    return out


def _answers(report: SweepReport, outcome: str, base: str) -> dict[str, pd.Series]:
    """Per comparison, the value per design point whose spread the analyses explain: the paired difference
    (lever - baseline) with several levers, the outcome itself with one."""
    if not report.comparisons:
        mine = report.means[report.means.base == base]
        return {"level": mine.set_index("point")[outcome]}
    d = report.differences
    return {f"{lever} - {report.info['levers'][0]}":
            d[(d.lever == lever) & (d.outcome == outcome) & (d.base == base)].set_index("point")["mean"]
            for lever in report.comparisons}


def _points(report: SweepReport, base: str) -> pd.DataFrame:
    mine = report.means[report.means.base == base].drop_duplicates("point")
    return mine.set_index("point")[report.keys]


def _sensitivity(report: SweepReport) -> pd.DataFrame:
    frames = []
    for base in report.info["bases"]:
        x = _points(report, base)
        for outcome in report.info["outcomes"]:
            for comparison, y in _answers(report, outcome, base).items():
                frames.append(indices(report.info, x, y).assign(base=base, outcome=outcome, comparison=comparison))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _boxes(report: SweepReport) -> list[Box]:
    """PRIM boxes: with several levers, for each deciding outcome, where each lever is ahead on it; with one,
    where the outcome is on the wrong side of its threshold (the file's, else the median), and the right."""
    info, decide = report.info, report.info["decide"]
    several_bases = len(info["bases"]) > 1
    x = report.means.drop_duplicates(POINT).set_index(POINT)[report.keys]
    if several_bases:
        x = x.assign(base=x.index.get_level_values("base").astype(str))
    if report.comparisons:
        boxes = []
        for answer in decisions(info):
            outcome, direction = answer["outcome"], answer["better"]
            ahead = winners(report.means, outcome, direction).set_index(POINT).reindex(x.index)["winner"]
            decided = ahead.notna().to_numpy()
            for lever in info["levers"]:
                rest = [other for other in info["levers"] if other != lever]
                label = f"{lever} ahead of {rest[0] if len(rest) == 1 else 'every other lever'} on {outcome}"
                boxes.append(find_box(x[decided], (ahead[decided] == lever).to_numpy(), label))
            boxes += _clear_leads(report, x, outcome, direction) if info["seeds"] > 1 else []
        return boxes
    outcome, direction = decide["outcome"], decide["better"]
    level = report.means.set_index(POINT)[outcome].reindex(x.index)
    known = level.notna().to_numpy()
    threshold = decide["threshold"] if decide["threshold"] is not None else float(level.median())
    report.threshold = threshold
    worse = (level < threshold) if direction == "higher" else (level > threshold)
    side = ("below", "at or above") if direction == "higher" else ("above", "at or below")
    return [find_box(x[known], worse[known].to_numpy(), f"{outcome} {side[0]} {threshold:.3g}"),
            find_box(x[known], (~worse)[known].to_numpy(), f"{outcome} {side[1]} {threshold:.3g}")]


def _clear_leads(report: SweepReport, x: pd.DataFrame, outcome: str, direction: str) -> list[Box]:
    """PRIM boxes for a lead that seed-to-seed noise does not explain: for each lever against the baseline,
    where the 90% interval of the paired difference lies wholly on one side of zero."""
    baseline, d, boxes = report.info["levers"][0], report.differences, []
    for lever in report.comparisons:
        mine = d[(d.lever == lever) & (d.outcome == outcome)].set_index(POINT).reindex(x.index)
        known = mine["low"].notna().to_numpy()
        above, below = (mine["low"] > 0).to_numpy(), (mine["high"] < 0).to_numpy()
        ahead, behind = (above, below) if direction == "higher" else (below, above)
        for who, other, where in ((lever, baseline, ahead), (baseline, lever, behind)):
            boxes.append(find_box(x[known], where[known], f"{who} clearly ahead of {other} on {outcome} "
                                  "(90% interval of the paired difference clear of zero)"))
    return boxes


# --------------------------------------------------------------------------- writing


def write(report: SweepReport, out: Path) -> list[Path]:
    """Every table, report.md, summary.json, provenance, the sweep file and the figures, into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {"runs.csv": report.runs, "point_means.csv": report.means, "differences.csv": report.differences,
              "sensitivity.csv": report.sensitivity, "robustness.csv": report.robustness,
              "prim_boxes.csv": boxes_table(report.boxes), "prim_trajectories.csv": trajectories_table(report.boxes)}
    paths = [out / name for name in tables] + [out / "runs.parquet"]
    writers = [lambda p, t=t: t.to_csv(p, index=False) for t in tables.values()]
    writers.append(lambda p: report.runs.assign(lever=report.runs.lever.astype(str)).to_parquet(p, index=False))
    provenance = {k: v for k, v in report.record.items() if k not in ("source", "info")}
    texts = {"report.md": markdown(report), "summary.json": json.dumps(json_safe(summary(report)), indent=2),
             "provenance.json": json.dumps(json_safe({**provenance, "info": report.info}), indent=2),
             "sweep.yaml": report.record.get("source") or ""}
    paths += [out / name for name in texts]
    writers += [lambda p, text=text: p.write_text(text, encoding="utf-8") for text in texts.values()]
    written = replace_files(paths, writers)
    return written + draw(report, out)


def draw(report: SweepReport, out: Path) -> list[Path]:
    """The three figures (one set per base when there are several); none when nothing is stored yet."""
    if report.means.empty:
        return []
    info, drawn = report.info, []
    note = figures.caption(info, report.record, report.progress.complete)
    spans = {k: tuple(v) for k, v in info["uncertainties"].items()}
    outcome = info["decide"]["outcome"]
    for base in info["bases"]:
        suffix = f"-{base}" if len(info["bases"]) > 1 else ""
        order = info.get("heatmap") or _influence(report, base, outcome)
        if len(order) >= 2:
            drawn.append(_heatmap(report, base, outcome, order[:2], spans, note, out / f"heatmap{suffix}.png"))
        part = report.sensitivity[report.sensitivity.base == base]
        measure = MEASURES[method_for(info["design"])]
        drawn.append(figures.sensitivity_bars(part[part.measure == measure[0]], measure[1],
                                              "Which uncertain parameters does each answer hang on?",
                                              note, out / f"sensitivity{suffix}.png"))
        drawn.append(figures.response(report.means[report.means.base == base], info["outcomes"][:MAX_RESPONSE_OUTCOMES],
                                      report.keys[:MAX_RESPONSE_PARAMS], info["levers"], spans,
                                      "How does each outcome move across the worlds explored?", note,
                                      out / f"response{suffix}.png"))
    return drawn


def _influence(report: SweepReport, base: str, outcome: str) -> list[str]:
    """Parameters by influence on the deciding answer (summed over comparisons)."""
    part = report.sensitivity[(report.sensitivity.base == base) & (report.sensitivity.outcome == outcome)]
    head = part[part.measure == part.measure.iloc[0]] if len(part) else part
    if head["value"].notna().any():
        return head.groupby("parameter")["value"].sum().sort_values(ascending=False).index.tolist()
    return ranked(head) or report.keys


def _heatmap(report: SweepReport, base: str, outcome: str, pair: list[str], spans: dict, note: str,
             path: Path) -> Path:
    x, y = pair
    info, unit = report.info, figures.unit(outcome)
    if report.comparisons:
        baseline = info["levers"][0]
        d = report.differences
        panels = [(f"{lever} - {baseline}", figures.heatmap_table(
            d[(d.base == base) & (d.lever == lever) & (d.outcome == outcome)], "mean", x, y, spans))
            for lever in report.comparisons]
        label = f"{outcome}, lever - {baseline} ({unit})"
        who = report.comparisons[0] if len(report.comparisons) == 1 else "each lever"
        title = f"Where is {who} ahead of {baseline} on {outcome}?"
    else:
        mine = report.means[report.means.base == base]
        panels = [(info["levers"][0], figures.heatmap_table(mine, outcome, x, y, spans))]
        label = figures.outcome_label(outcome)
        title = f"How does {outcome} change as {x} and {y} vary together?"
    return figures.heatmap(panels, x, y, label, title, note, path)


def summary(report: SweepReport) -> dict[str, Any]:
    """The report's headline for programs: progress, who is ahead where, the boxes and what drives the answer."""
    p = report.progress
    return {"sweep_id": report.sweep_id, "name": report.info["name"],
            "progress": {"planned": p.planned, "complete": p.complete, "failed": p.failed},
            "decide": report.info["decide"], "threshold": report.threshold,
            "ahead_share": _ahead_shares(report, report.info["decide"]),
            "answers": [{**answer, "ahead_share": _ahead_shares(report, answer)} for answer in decisions(report.info)],
            "boxes": [{"label": b.label, "points": b.points, "cases": b.cases, "coverage": b.coverage,
                       "density": b.density, "mass": b.mass, "qp": b.qp,
                       "limits": {k: sorted(v) if isinstance(v, (set, frozenset)) else list(v)
                                  for k, v in b.limits.items()}, "text": b.describe()} for b in report.boxes],
            "most_influential": {o: _influence(report, report.info["bases"][0], o)[:3]
                                 for o in report.info["outcomes"]} if len(report.sensitivity) else {}}


def _ahead_shares(report: SweepReport, decide: dict[str, Any]) -> dict[str, float]:
    """The share of design points (worlds) at which each lever is ahead on one deciding outcome."""
    if not report.comparisons or report.means.empty:
        return {}
    ahead = winners(report.means, decide["outcome"], decide["better"])
    return {lever: float((ahead.winner == lever).mean()) for lever in report.info["levers"]} | {
        "no one (tie or undefined)": float(ahead.winner.isna().mean())}


def _fmt(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    if abs(value) < 1e-12:
        return "0"           # floating-point dust from a difference of equal values
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _share(value: float) -> str:
    return "n/a" if value is None or not np.isfinite(value) else f"{value:.0%}"


def markdown(report: SweepReport) -> str:
    """report.md: the question, the design, who is ahead where, the boxes, the differences, what it hangs on."""
    info, p = report.info, report.progress
    decide = info["decide"]
    lines = [f"# Sweep {info['name']} (`{report.sweep_id}`)", "", info["description"] or "", "",
             f"- **Design**: {info['design']}, {info['design_points']} points x {len(info['levers'])} lever(s) "
             f"({', '.join(info['levers'])}) x {len(info['bases'])} base(s) ({', '.join(info['bases'])}) x seeds "
             f"1-{info['seeds']} = {info['runs']} runs; {info['weeks']} weeks; fixed: "
             f"{', '.join(f'{k}={v}' for k, v in info['fixed'].items()) or 'nothing'}",
             "- **Uncertainties**: " + ", ".join(f"`{k}` [{lo:g}, {hi:g}]" for k, (lo, hi)
                                                   in info["uncertainties"].items()),
             f"- **Stored**: {p.complete} of {p.planned} runs complete" + (f", {p.failed} failed" if p.failed else "")
             + ("" if p.complete == p.planned else " (the report covers what is stored)"),
             f"- **Provenance**: hlssim {report.record.get('hlssim_version')}, git "
             f"{report.record.get('git_commit')}, code {report.record.get('code_version')}, file "
             f"`{report.record.get('sweep_file')}` (copied as sweep.yaml)", ""]
    for answer in decisions(info):
        lines += [f"## Who is ahead where: `{answer['outcome']}` ({answer['better']} is better)", ""]
        for lever, share in _ahead_shares(report, answer).items():
            lines.append(f"- {lever}: ahead at {share:.0%} of design points")
        lines.append("")
    if report.outside_note:
        lines += [report.outside_note, ""]
    if report.threshold is not None:
        lines.append(f"- threshold: {report.threshold:.3g}"
                     + (" (the file's)" if decide["threshold"] is not None else " (the median over points)"))
    lines += ["PRIM boxes (EMA Workbench; the box with the best balance of coverage and density on the "
              "peeling trajectory, all of it in prim_trajectories.csv):", ""]
    lines += [f"- {b.describe()}" for b in report.boxes]
    if not report.differences.empty:
        lines += ["", "## Paired differences (lever - baseline, seed by seed at each point)", "",
                  "| lever | outcome | median over points | 10th pct | 90th pct | points with 90% interval above 0 |"
                  " below 0 |", "|---|---|---|---|---|---|---|"]
        for (lever, outcome), part in report.differences.groupby(["lever", "outcome"], sort=False):
            m = part["mean"].dropna()
            lines.append(f"| {lever} | {outcome} | {_fmt(m.median() if len(m) else np.nan)} | "
                         f"{_fmt(m.quantile(0.1) if len(m) else np.nan)} | {_fmt(m.quantile(0.9) if len(m) else np.nan)}"
                         f" | {(part['low'] > 0).mean():.0%} | {(part['high'] < 0).mean():.0%} |")
    if not report.robustness.empty:
        lines += ["", "## Robustness: how often each lever is ahead, and how far behind the best it falls", "",
                  "| outcome | better | lever | ahead at | median regret | 90th pct regret | n/a |",
                  "|---|---|---|---|---|---|---|"]
        for r in report.robustness.itertuples():
            lines.append(f"| {r.outcome} | {r.better} | {r.lever} | {_share(r.ahead_share)} | {_fmt(r.regret_median)} | "
                         f"{_fmt(r.regret_p90)} | {_share(r.na_share)} |")
    lines += ["", f"## What the answers hang on ({MEASURES[method_for(info['design'])][1]})", ""]
    lines += _hang_on(report)
    lines += ["", "## Files", "", "runs.csv / runs.parquet (one row per point x lever x seed), point_means.csv, "
              "differences.csv, robustness.csv, sensitivity.csv, prim_boxes.csv, prim_trajectories.csv, "
              "summary.json, provenance.json, sweep.yaml; figures heatmap.png, sensitivity.png, response.png.", ""]
    return "\n".join(lines)


def _hang_on(report: SweepReport) -> list[str]:
    """The three most influential parameters per outcome and comparison, with the measure and its interval."""
    measure = MEASURES[method_for(report.info["design"])][0]
    table = report.sensitivity[report.sensitivity.measure == measure] if len(report.sensitivity) else pd.DataFrame()
    several = len(report.info["bases"]) > 1
    lines = []
    for (base, outcome, comparison), part in (table.groupby(["base", "outcome", "comparison"], sort=False)
                                              if len(table) else []):
        top = part.sort_values("value", ascending=False, na_position="last").head(3)
        if top["value"].isna().all():
            text = next((n for n in part["note"] if n), "n/a")
        else:
            text = ", ".join(f"`{r.parameter}` {_fmt(r.value)}" + (f" ± {_fmt(r.conf)}" if np.isfinite(r.conf) else "")
                             for r in top.itertuples())
        lines.append(f"- {outcome} ({comparison}{', base ' + base if several else ''}): {text}")
    return lines


def report_sweep(store: Store, sweep_id: str, out: Path | None = None) -> tuple[SweepReport, list[Path]]:
    """Build a stored sweep's report and write it (default ``results/sweeps/SWEEP_ID/``)."""
    report = build(store, sweep_id)
    return report, write(report, out or DEFAULT_ROOT / sweep_id)
