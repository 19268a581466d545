"""A calibration's folder: the posterior, how each generation went, each target's fit, figures and provenance.

``write`` puts under ``results/calibration/NAME/``: ``posterior.csv`` (one row per particle, ``weight``
summing to 1), ``marginals.csv`` (each parameter's prior against its posterior), ``fit.csv`` (each
target's published figure against the model's), ``generations.csv`` (epsilon, acceptance and
effective sample size per generation), ``report.md`` for people, ``provenance.json`` and the figures
``marginals.png`` and ``pairs.png`` (seaborn, PNG and SVG). Files are replaced whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns

from ..experiments.calibration import Calibration
from ..experiments.posterior import weighted_quantile
from ..params import Params, plausible_source
from ..util.files import replace_files
from ..util.jsonsafe import json_safe
from .style import Caption, figure_function, finish, new_figure, save

FILES = ("posterior.csv", "marginals.csv", "fit.csv", "generations.csv", "report.md", "provenance.json")
FIGURES = ("marginals", "pairs")


def marginals(cal: Calibration, posterior: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: the prior (uniform over [low, high]), the default, and the posterior's weighted
    10th/50th/90th percentiles, with how much of the prior's width the 10th-90th interval keeps."""
    defaults = Params().flat()
    weights = posterior["weight"].to_numpy(dtype=float)
    rows = []
    for key, (low, high) in cal.priors.items():
        values = posterior[key].to_numpy(dtype=float)
        q = {p: weighted_quantile(values, weights, p / 100) for p in (10, 50, 90)}
        prior_80 = 0.8 * (high - low)                     # the prior's own 10th-90th width
        kept = (q[90] - q[10]) / prior_80
        rows.append({"parameter": key, "default": defaults[key], "prior_low": low, "prior_high": high,
                     "prior_source": plausible_source(key), "posterior_p10": q[10], "posterior_median": q[50],
                     "posterior_p90": q[90], "mean": float(np.average(values, weights=weights)),
                     "width_kept": kept, "reading": _reading(kept)})
    return pd.DataFrame(rows)


def _reading(kept: float) -> str:
    if kept < 0.5:
        return "pinned down by the targets"
    if kept < 0.8:
        return "narrowed by the targets"
    return "stays wide: the targets say little about it"


def write(out: Path, cal: Calibration, posterior: pd.DataFrame, fits: pd.DataFrame, generations: pd.DataFrame,
          provenance: dict[str, Any]) -> list[Path]:
    """Every table, the report and the provenance, then the figures; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    table = marginals(cal, posterior)
    texts = {"report.md": markdown(cal, table, fits, generations, provenance),
             "provenance.json": json.dumps(json_safe(provenance), indent=2)}
    frames = {"posterior.csv": posterior, "marginals.csv": table, "fit.csv": fits, "generations.csv": generations}
    paths = [out / name for name in FILES]
    writers = [lambda p, f=f: f.to_csv(p, index=False) for f in frames.values()]
    writers += [lambda p, t=t: p.write_text(t, encoding="utf-8") for t in texts.values()]
    written = replace_files(paths, writers)
    caption = Caption(f"calibration {cal.name} ({provenance.get('budget')} budget)",
                      reading="posterior: weighted particles of the last generation", commits=[provenance.get(
                          "git_commit") or ""], extra=f"{len(posterior)} particles")
    written += save(marginal_figure(cal, posterior, caption), out)
    written += save(pairs_figure(cal, posterior, caption), out)
    return written


@figure_function
def marginal_figure(cal: Calibration, posterior: pd.DataFrame, caption: Caption):
    keys = list(cal.priors)
    cols = min(3, len(keys))
    rows = -(-len(keys) // cols)
    fig, axes = new_figure(3.3 * cols, 2.5 * rows + 0.8, rows, cols)
    defaults = Params().flat()
    weights = posterior["weight"].to_numpy(dtype=float)
    for i, key in enumerate(keys):
        ax = axes[i // cols][i % cols]
        low, high = cal.priors[key]
        ax.axhspan(0, 1 / (high - low), xmin=0, xmax=1, color="#bbbbbb", alpha=0.35, label="prior (uniform)")
        sns.histplot(x=posterior[key], weights=weights, stat="density", bins=20, binrange=(low, high), ax=ax,
                     color="#0072B2", alpha=0.55, edgecolor="white", label="posterior")
        if len(posterior) > 2 and posterior[key].nunique() > 1:
            sns.kdeplot(x=posterior[key], weights=weights, ax=ax, color="#0072B2", clip=(low, high), cut=0)
        ax.axvline(defaults[key], color="#E69F00", linestyle="--", linewidth=1.6, label="default")
        ax.set_xlim(low, high)
        ax.set_xlabel(key)
        ax.set_ylabel("density" if i % cols == 0 else "")
    for j in range(len(keys), rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    handles, labels = axes[0][0].get_legend_handles_labels()
    return finish("marginals", fig, "What do the targets say about each parameter? Posterior against prior",
                  caption, legend=(handles, labels), legend_columns=3)


@figure_function
def pairs_figure(cal: Calibration, posterior: pd.DataFrame, caption: Caption):
    keys = list(cal.priors)
    n = len(keys)
    fig, axes = new_figure(2.1 * n + 0.5, 2.1 * n + 0.9, n, n)
    weights = posterior["weight"].to_numpy(dtype=float)
    sizes = 8 + 60 * weights / weights.max()
    for r, y in enumerate(keys):
        for c, x in enumerate(keys):
            ax = axes[r][c]
            if c > r:
                ax.set_visible(False)
                continue
            if c == r:
                sns.histplot(x=posterior[x], weights=weights, stat="density", bins=15, binrange=cal.priors[x], ax=ax,
                             color="#0072B2", alpha=0.55, edgecolor="white")
                ax.set_ylabel("")
            else:
                ax.scatter(posterior[x], posterior[y], s=sizes, color="#0072B2", alpha=0.35, linewidths=0,
                           label="particle (size: weight)")
                if len(posterior) > 5 and posterior[x].nunique() > 1 and posterior[y].nunique() > 1:
                    sns.kdeplot(x=posterior[x], y=posterior[y], weights=weights, ax=ax, levels=4, color="black",
                                linewidths=0.7)
                ax.set_ylim(*cal.priors[y])
            ax.set_xlim(*cal.priors[x])
            ax.set_xlabel(x if r == n - 1 else "", fontsize=7)
            ax.set_ylabel(y if c == 0 and r > 0 else "", fontsize=7)
            ax.tick_params(labelsize=6)
    return finish("pairs", fig, "Which parameters trade off against each other? Pairwise posterior densities "
                  "over the prior ranges", caption)


def _number(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def markdown(cal: Calibration, table: pd.DataFrame, fits: pd.DataFrame, generations: pd.DataFrame,
             provenance: dict[str, Any]) -> str:
    last = generations.iloc[-1] if len(generations) else None
    met = last is not None and last.epsilon <= cal.tolerance
    lines = [f"# Calibration `{cal.name}` ({provenance.get('budget')} budget)", "", cal.description, "",
             f"ABC-SMC (pyabc {provenance.get('pyabc')}), {len(generations)} generation(s), "
             f"{int(generations.evaluations.sum()) if len(generations) else 0:,} candidates evaluated, "
             f"{provenance.get('particles')} particles in the posterior. Distance: the root mean square over "
             f"targets of (model - observed) / sd; tolerance {cal.tolerance:g}: "
             + (f"**met** (final epsilon {last.epsilon:.3g})." if met else
                f"**not met** (final epsilon {last.epsilon:.3g}): the budget ran out first, so the posterior is "
                "wider than the targets alone would allow." if last is not None else "no generation yet."),
             "", "A calibration target is a fit, not evidence: `hlssim validate-model` lists these patterns as "
             "`calibration` and counts only independent `validation` patterns as evidence.", "",
             "## Each target's fit (last generation, weighted particles)", "",
             "| target | published (± sd) | model median [p10, p90] | z of the median | source |", "|---|---|---|---|---|"]
    for r in fits.itertuples():
        lines.append(f"| `{r.target}` | {_number(r.observed)} ± {_number(r.sd)} | {_number(r.model_median)} "
                     f"[{_number(r.model_p10)}, {_number(r.model_p90)}] | {r.z_median:+.2f} | {r.source} |")
    lines += ["", "## Posterior against prior", "",
              "| parameter | default | prior (uniform) | posterior median [p10, p90] | width kept | reading |",
              "|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| `{r.parameter}` | {_number(r.default)} | {_number(r.prior_low)}-{_number(r.prior_high)} | "
                     f"{_number(r.posterior_median)} [{_number(r.posterior_p10)}, {_number(r.posterior_p90)}] | "
                     f"{r.width_kept:.0%} | {r.reading} |")
    lines += ["", "*Width kept*: the posterior's 10th-90th interval over the prior's (a uniform prior's is 80% of "
              "its range). Below 50%: the targets pin the parameter down; above 80%: they say little about it.", "",
              "## Generations", "", "| generation | epsilon | candidates | accepted | acceptance | effective sample size |",
              "|---|---|---|---|---|---|"]
    for r in generations.itertuples():
        lines.append(f"| {r.generation} | {r.epsilon:.3g} | {r.evaluations:,} | {r.accepted} | {r.acceptance:.1%} | "
                     f"{r.ess:.1f} |")
    lines += ["", "## How this was made", "",
              f"`{provenance.get('command')}` · file `{provenance.get('calibration_file')}` (sha256 "
              f"{str(provenance.get('calibration_sha256'))[:12]}) · seed {provenance.get('seed')} · code "
              f"{provenance.get('code_version')} · git {provenance.get('git_commit')} · history "
              f"`{provenance.get('history')}` · {provenance.get('finished_at')}.", "",
              "Figures: marginals.png (posterior against the uniform prior, default dashed), pairs.png (pairwise "
              "densities). Use the posterior with `--posterior PATH` on run, compare, report, sweep, "
              "validate-model and scale-up, or `simulate(..., posterior=PATH)`.", ""]
    return "\n".join(lines)
