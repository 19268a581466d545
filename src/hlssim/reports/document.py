"""The report a policy team can hand on: one self-contained HTML file (figures embedded, nothing
fetched when it opens) and its Markdown twin, both from the Jinja2 templates in ``templates/``.

It opens with "In brief" (``brief``: for each side, where it clearly comes out ahead), then says what
was asked (the scenario files' descriptions), what was run, the headline differences in plain words
with their intervals, the figures, what the model assumes (the ODD sections, named in words and
quoted, and the parameters that differ from the defaults) and what the comparison is not. Keys the
two sides cannot be compared on are flagged wherever they appear, never stated as findings. Nothing
in it links outside the file, so it reads the same when it is passed on alone.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import jinja2

from ..outputs.stats import HIGH, LOW
from ..params.resolve import field_info
from ..util.files import replace_files
from ..util.ranges import ranges
from ..util.version import __version__
from . import keys as K
from . import odd
from .brief import brief
from .runs import COUNTERFACTUALS, Comparison, Group
from .style import Chart, save

HEADLINE_KEYS = (
    "flourishing_gain", "flourishing_gain_smd", "equity_gap", "true_success_rate", "reported_success_rate",
    "goodhart_gap", "data_integrity", "cost_per_citizen_year", "spend_per_citizen_year",
    "crisis_cost_per_smd_citizen_year", "crisis_cost_avoided_per_smd_citizen_year", "cost_per_flourishing_gain",
    "waiting_mean", "parked_share", "burnout_share", "worker_turnover_rate",
)

# docs/ODD.md headings (tests/test_reports.py checks they exist): where each parameter group enters the model.
ODD_OVERVIEW = ("1 Purpose and patterns", "4 Design concepts", "8 Calibration, structural constants and validation")
ODD_BY_GROUP = {
    "world": "7.1 Life dynamics: uniqueness, interdependence, dynamism (`life.drift_and_events`, `life.apply_change`)",
    "evidence": "7.6 Support effect (`casework.support_gain`, `casework.worker_effectiveness`)",
    "population": "5 Initialization",
    "service": "9 The default world, the closed system and the no-service world",
    "crisis": "7.2 Crises and their £ costs (`crises.crises`)",
    "workforce": "7.12 Incentives, motivation crowding, stress, burnout and turnover (`targets.set_incentives`, "
                 "`workforce.step`, `workforce.after_detection`)",
    "practices": "7.0 The six practices of Figure 1 and what they drive",
    "pathways": "7.3 Demand, eligibility, intake and failure demand (`demand.seek_help`, `demand.intake`, `demand.open_cases`)",
    "caseload": "7.4 Time use and parking (`casework.allocate_time`)",
    "queue": "7.3a What waiting costs: deterioration, dropout, chasing, lost trust (`queue.wait_a_week`)",
    "targets": "7.9 Targets and the ratchet (`targets.review_targets`)",
    "incentives": "7.8 Closing cases, records, misreporting and inspection (`accountability.close_cases`)",
    "learning": "7.10 Team learning cycles, cross-team connection and the double loop (`learning.learning_cycle`)",
    "measurement": "7.8 Closing cases, records, misreporting and inspection (`accountability.close_cases`)",
    "quality": "7.12 Incentives, motivation crowding, stress, burnout and turnover (`targets.set_incentives`, "
               "`workforce.step`, `workforce.after_detection`)",
    "trust": "7.7 Trust, what matters, agency, and learning what works (`relationships.update`)",
    "agency": "7.7 Trust, what matters, agency, and learning what works (`relationships.update`)",
    "funding": "7.13 Funder budget and payment by results (`funding.spend_per_case`, "
               "`funding.book_staff_and_withholding`, `funding.pay_outcomes`)",
    "contract": "7.14 Provider organisations, contracts and the commissioning market (`mechanisms/market.py`)",
    "market": "7.14 Provider organisations, contracts and the commissioning market (`mechanisms/market.py`)",
}


def sentence(comparison: Comparison, key: str) -> str:
    """One key's paired difference in plain words, with its interval and how often B was higher."""
    a, b, row = comparison.a.label, comparison.b.label, comparison.table.loc[key]
    if key in comparison.not_comparable:
        return (f"not compared, so not a finding: {comparison.not_comparable[key]}. (Medians: "
                f"{K.words(key, row['B'])} under {b}, {K.words(key, row['A'])} under {a}.)")
    diffs = comparison.differences[key].dropna()
    mid, low, high = row["B-A median"], row[f"B-A p{LOW}"], row[f"B-A p{HIGH}"]
    higher = int((diffs > 0).sum())
    spread = (f"(median over {len(diffs)} paired seeds; {LOW}th-{HIGH}th percentile from "
              f"{K.words(key, low, True, with_unit=False)} to {K.words(key, high, True, with_unit=False)}; "
              f"{b} higher in {higher} of {len(diffs)})")
    if key in COUNTERFACTUALS:
        return (f"{b} avoided {K.words(key, mid)} of crisis cost against {a} {spread}; a negative amount means it "
                "cost more.")
    if (diffs == 0).all():
        return f"the same under both: {K.words(key, row['A'])}."
    if low < 0 < high:
        return (f"no clear direction: the seeds disagree on the sign; the median difference {b} − {a} is "
                f"{K.words(key, mid, True)} {spread}.")
    direction = "higher" if mid > 0 else "lower" if mid < 0 else "no different (median)"
    return (f"{direction} under {b} than under {a} by {K.words(key, abs(mid), True).lstrip('+')} {spread}: "
            f"{K.words(key, row['B'])} under {b} against {K.words(key, row['A'])} under {a}.")


def _group_facts(group: Group) -> dict:
    return {"label": group.label, "scenario": group.scenario, "regime": group.regime,
            "description": " ".join(group.description.split()), "seeds": ranges(group.seeds),
            "n_seeds": len(group.seeds), "weeks": ranges(group.weeks),
            "citizens": f"{int(group.params.get('population.citizens', 0)):,}",
            "runs": ranges(sorted(group.run_ids)) if group.run_ids else "not stored",
            "commits": ", ".join(c[:10] for c in group.commits) or "unknown"}


def _parameters(comparison: Comparison) -> list[dict]:
    changed = {**comparison.a.changed_params(), **comparison.b.changed_params()}
    rows = []
    for key in sorted(changed):
        info = field_info(key)
        group = key.partition(".")[0]
        rows.append({"key": key, "default": info.default if info else "", "a": comparison.a.params.get(key, ""),
                     "b": comparison.b.params.get(key, ""), "meaning": info.description if info else "",
                     "odd": ODD_BY_GROUP.get(group, ""), "odd_anchor": _quoted(ODD_BY_GROUP.get(group, ""))})
    return rows


def _table(comparison: Comparison) -> list[dict]:
    """Every key: medians of A and B and the paired difference, with n/a where a side's mechanism cannot act."""
    rows = []
    for key, row in comparison.table.iterrows():
        na = key in comparison.not_applicable
        apart = key in comparison.not_comparable           # numbers shown, difference not stated
        diffs = comparison.differences[key].dropna()

        def side(group: Group, column: str) -> str:
            return "n/a" if key in group.not_applicable and key not in COUNTERFACTUALS else K.number(key, row[column])
        quiet = na or apart
        rows.append({"key": key, "label": K.label(key), "unit": K.unit(key), "na": na, "apart": apart,
                     "a": side(comparison.a, "A"), "b": side(comparison.b, "B"),
                     "diff": "n/a" if na else "not compared" if apart else K.number(key, row["B-A median"], True),
                     "interval": "" if quiet else f"{K.number(key, row[f'B-A p{LOW}'], True)} to "
                                                  f"{K.number(key, row[f'B-A p{HIGH}'], True)}",
                     "higher": "" if quiet else f"{int((diffs > 0).sum())}/{len(diffs)}"})
    return rows


def _quoted(heading: str) -> str:
    """The in-report anchor of an ODD section quoted at the end, or '' where it cannot be quoted."""
    return odd.anchor(heading) if heading and odd.excerpt(heading) else ""


def _odd_sections(comparison: Comparison) -> list[dict]:
    """Every ODD section the report cites, in order, with its opening quoted (where the ODD is at hand)."""
    groups = {key.partition(".")[0] for key in {**comparison.a.changed_params(), **comparison.b.changed_params()}}
    cited = dict.fromkeys([*ODD_OVERVIEW, *(ODD_BY_GROUP[g] for g in sorted(groups) if g in ODD_BY_GROUP)])
    out = []
    for heading in cited:
        text = odd.excerpt(heading)
        out.append({"heading": heading, "anchor": odd.anchor(heading) if text else "",
                    "markdown": text or "", "html": [odd.inline_html(p) for p in (text or "").split("\n\n") if p]})
    return out


def context(comparison: Comparison, charts: Sequence[Chart], out: Path, figure_dir: str) -> dict:
    """Everything the templates say, as plain values."""
    headline = [{"key": k, "label": K.label(k)[:1].upper() + K.label(k)[1:], "text": sentence(comparison, k),
                 "apart": k in comparison.not_comparable}
                for k in HEADLINE_KEYS if k in comparison.shown_keys()]
    sections = _odd_sections(comparison)
    return {
        "title": f"{comparison.b.label} against {comparison.a.label}: what changes?",
        "a": _group_facts(comparison.a), "b": _group_facts(comparison.b),
        "seeds": ranges(comparison.seeds), "n_seeds": len(comparison.seeds), "notes": comparison.notes,
        "brief": brief(comparison), "not_comparable": comparison.not_comparable,
        "not_comparable_labels": [K.label(k) for k in comparison.not_comparable],
        "not_comparable_reason": next(iter(comparison.not_comparable.values()), ""),
        "headline": headline, "table": _table(comparison), "low": LOW, "high": HIGH,
        "not_applicable": list(comparison.not_applicable),
        "figures": [{"name": c.name, "title": c.title, "caption": c.caption, "file": f"{figure_dir}/{c.name}.png",
                     "data_uri": "data:image/png;base64," + base64.b64encode(c.png()).decode()} for c in charts],
        "parameters": _parameters(comparison),
        "odd_overview": [s for s in sections if s["heading"] in ODD_OVERVIEW],
        "odd_sections": sections, "odd_quoted": any(s["anchor"] for s in sections),
        "written": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "version": __version__,
    }


def environment() -> jinja2.Environment:
    """Templates shipped with the package; a missing value is an error, never an empty string."""
    return jinja2.Environment(loader=jinja2.PackageLoader("hlssim.reports", "templates"),
                              undefined=jinja2.StrictUndefined, autoescape=jinja2.select_autoescape(["html"]),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def write_report(comparison: Comparison, charts: Sequence[Chart], out: Path) -> list[Path]:
    """Write ``report.html``, ``report.md`` and the figures they show (``figures/``) under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    figure_paths = [p for chart in charts for p in save(chart, out / "figures")]
    values = context(comparison, charts, out, "figures")
    env = environment()
    pages = {name: env.get_template(f"{name}.j2").render(**values) for name in ("report.html", "report.md")}
    paths = [out / name for name in pages]
    return replace_files(paths, [lambda p, text=text: p.write_text(text, encoding="utf-8")
                                 for text in pages.values()]) + figure_paths
