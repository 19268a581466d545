"""A design search's folder, ``results/designs/NAME/`` (or ``--out``): the tables, the report, the provenance, the
design file as it was, and the figures, each file written whole (docs/designs.md lists them)."""

from __future__ import annotations

import json
from pathlib import Path

from ..util.files import replace_files
from ..util.jsonsafe import json_safe
from .design_figures import convergence_chart, pareto_chart, tradeoff_chart
from .design_report import DesignSearch, holdout_table, markdown, pareto, picks, presets_table
from .style import save

FILES = ("pareto.csv", "designs.csv", "presets.csv", "holdout.csv", "convergence.csv", "report.md", "provenance.json",
         "design.yaml")
FIGURES = ("pareto", "tradeoff", "convergence")


def every_file() -> tuple[str, ...]:
    """Every file a search writes in its folder (checked before it starts: none replaced without --force)."""
    return (*FILES, *(f"{name}.{fmt}" for name in FIGURES for fmt in ("png", "svg")))


def write(out: Path, search: DesignSearch) -> list[Path]:
    """Every table, the report, the provenance and the design file, then the figures; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    front = pareto(search)
    presets = presets_table(search, front)
    chosen = picks(search, front)
    holdout = holdout_table(search)
    if len(front):
        role_of = {p.design: p.role for p in chosen}
        front = front.assign(named=[role_of.get(int(n), "") for n in front.design])
    provenance = {**search.provenance, "search_id": search.search_id, "picks": [p.__dict__ for p in chosen],
                  "front_size": len(front), "convergence": search.verdict.__dict__}
    tables = {"pareto.csv": front, "designs.csv": search.result.frame(), "presets.csv": presets,
              "holdout.csv": holdout, "convergence.csv": search.convergence}
    writers = [(lambda frame: lambda p: frame.to_csv(p, index=False))(tables[name]) for name in FILES[:5]]
    writers += [lambda p: p.write_text(markdown(search, front, presets, chosen, holdout), encoding="utf-8"),
                lambda p: p.write_text(json.dumps(json_safe(provenance), indent=2, default=str) + "\n",
                                       encoding="utf-8"),
                lambda p: p.write_text(search.design.source, encoding="utf-8")]
    paths = replace_files([out / name for name in FILES], writers)
    for chart in (pareto_chart(search, front, presets, chosen), tradeoff_chart(search, front, presets, chosen),
                  convergence_chart(search)):
        paths += save(chart, out)
    return paths
