"""The documentation keeps pace with the code: metric names, parameter keys, the parameter table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hlssim.outputs.metrics import SUMMARY_KEYS
from hlssim.params.table import parameter_table
from hlssim.params import PRACTICES, known_keys
from hlssim import simulate

DOCS = Path(__file__).resolve().parents[1] / "docs"
REGENERATE = "run `make docs` (python -m hlssim.reports.reference) to regenerate docs/parameters.md"


def read(name: str) -> str:
    path = DOCS / name
    assert path.exists(), f"docs/{name} is missing"
    return path.read_text(encoding="utf-8")


def documented(text: str, key: str) -> bool:
    """A key counts as documented when it appears as inline code: `key`."""
    return re.search(r"`" + re.escape(key) + r"`", text) is not None


def test_every_summary_key_is_defined_in_metrics_md():
    text = read("metrics.md")
    missing = [k for k in SUMMARY_KEYS if not documented(text, k)]
    assert not missing, f"summary keys not defined in docs/metrics.md: {missing}"


@pytest.fixture(scope="module")
def tiny_run():
    return simulate("npm", seed=1, weeks=3, overrides={"population.citizens": 200})


def test_every_diagnostic_key_and_timeseries_column_is_defined_in_metrics_md(tiny_run):
    text = read("metrics.md")
    extra = [k for k in tiny_run.summary if k not in SUMMARY_KEYS and not documented(text, k)]
    assert not extra, f"diagnostic keys returned by summarize() but not defined in docs/metrics.md: {extra}"
    columns = [c for c in tiny_run.timeseries.columns if not documented(text, c)]
    assert not columns, f"timeseries columns (metrics.week_row) not defined in docs/metrics.md: {columns}"


def test_every_parameter_key_is_in_parameters_md():
    text = read("parameters.md")
    missing = [k for k in known_keys() if not documented(text, k)]
    assert not missing, f"parameter keys missing from docs/parameters.md: {missing}; {REGENERATE}"


def test_every_parameter_has_a_unit_and_a_source():
    from hlssim.params import Params
    missing = [f"{group}.{name}" for group, info in Params.model_fields.items()
               for name, field in info.annotation.model_fields.items()
               if not (field.json_schema_extra or {}).get("unit") or not (field.json_schema_extra or {}).get("source")]
    assert not missing, f"parameters without a unit or a source (params/groups.py): {missing}"


def test_parameters_md_matches_the_code():
    assert read("parameters.md") == parameter_table(), f"docs/parameters.md is out of date: {REGENERATE}"


def test_every_generated_part_of_the_docs_matches_the_declarations():
    """docs/parameters.md and the generated blocks of metrics.md, architecture.md and ODD.md (the books, the
    funder's spend, the weekly columns read off the books, the mechanism modules) are made from the code."""
    from hlssim.reports.reference import generated
    stale = [path.name for path, text in generated(DOCS).items() if path.read_text(encoding="utf-8") != text]
    assert not stale, f"generated docs out of date: {stale}; run `make docs`"


def test_odd_describes_every_parameter_and_links_the_table():
    text = read("ODD.md")
    assert "parameters.md" in text, "docs/ODD.md should link docs/parameters.md"
    missing = [k for k in known_keys() if not documented(text, k)]
    assert not missing, f"parameters not described in docs/ODD.md (say where each enters the model): {missing}"
    practices = [p for p in PRACTICES if not documented(text, f"practices.{p}")]
    assert not practices, f"practices missing from the practice-to-mechanism table in docs/ODD.md: {practices}"
