"""The scripts in experiments/ are examples for users, so they use only what users may rely on: the names
``hlssim`` exports and the ``__all__`` of its public modules (``hlssim.PUBLIC_MODULES``), never a
command's private helpers."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import hlssim

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "experiments").glob("*.py"))


def private_uses(source: str) -> list[str]:
    """Every use of hlssim in ``source`` that is not public: an import of a module outside the public ones, of
    a name outside a public module's ``__all__``, or an ``hlssim.NAME`` that ``hlssim`` does not export."""
    public = {name: importlib.import_module(name) for name in hlssim.PUBLIC_MODULES}
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hlssim"):
            module = node.module
            if module == "hlssim":
                allowed = set(hlssim.__all__)
            elif module in public:
                allowed = set(public[module].__all__)
            else:
                found.append(f"from {module} import ...")
                continue
            found += [f"from {module} import {a.name}" for a in node.names if a.name not in allowed]
        elif isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names
                      if a.name.startswith("hlssim.") and a.name not in public]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "hlssim"
              and node.attr not in hlssim.__all__):
            found.append(f"hlssim.{node.attr}")
    return found


@pytest.mark.parametrize("name", hlssim.PUBLIC_MODULES)
def test_every_public_name_exists(name):
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert module.__all__ and not missing, f"{name}.__all__ names what it does not have: {missing}"


def test_every_name_hlssim_exports_loads():
    assert all(getattr(hlssim, name) is not None for name in hlssim.__all__)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_experiment_scripts_use_only_the_public_api(script):
    assert private_uses(script.read_text()) == []


def test_the_check_sees_a_private_helper():
    """Not blind: the imports the scripts used to make are caught, and the public ones pass."""
    assert private_uses("from hlssim.cli.common import guarded, script_parser\n") == ["from hlssim.cli.common import ..."]
    assert private_uses("from hlssim.cli.script import guarded, say\n") == ["from hlssim.cli.script import say"]
    assert private_uses("import hlssim\nhlssim.model.service.ServiceModel\n") == ["hlssim.model"]
    assert private_uses("import hlssim\nfrom hlssim.cli.script import guarded\nhlssim.simulate\n") == []
