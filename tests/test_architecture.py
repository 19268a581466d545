"""The package's layers hold: lower layers never import higher ones, and nothing imports in a circle.

The import graph is read from the source with ``ast`` (``hlssim.util.imports``), so lazy
imports inside functions count too. docs/architecture.md describes the layers.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

from hlssim import mechanisms
from hlssim.util.imports import closure, import_graph

# Bottom to top: a module may import its own layer and the layers before it.
LAYERS = ("util", "params", "state", "mechanisms", "outputs", "model", "experiments", "store", "reports", "cli", "app")


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None          # hlssim/__init__.py, the public face, sits above every layer
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else -1


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_every_module_lives_in_a_layer(graph):
    homeless = [m for m in graph if layer_of(m) == -1]
    assert not homeless, f"modules outside the layers {LAYERS}: {homeless}"


def test_lower_layers_never_import_higher_ones(graph):
    upward = []
    for module, imported in graph.items():
        mine = layer_of(module)
        if mine is None:
            continue
        for target in imported:
            theirs = layer_of(target)
            if theirs is None or theirs > mine:
                upward.append(f"{module} -> {target}")
    assert not upward, "imports that go up the layers:\n" + "\n".join(sorted(upward))


def test_no_module_imports_itself_in_a_circle(graph):
    circles = sorted(m for m in graph if any(m in closure(t, graph) for t in graph[m]))
    assert not circles, f"modules on an import cycle: {circles}"


def test_the_check_would_see_an_upward_import(tmp_path):
    """The checker is not blind: a mechanism that imported the model would be caught."""
    pkg = tmp_path / "hlssim"
    for folder in ("mechanisms", "model"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "model" / "service.py").write_text("X = 1\n")
    (pkg / "mechanisms" / "life.py").write_text("def f():\n    from ..model.service import X\n    return X\n")
    found = import_graph(pkg)
    assert found["hlssim.mechanisms.life"] == {"hlssim.model.service"}


def test_mechanisms_take_state_not_the_model():
    """A mechanism's signature names what it touches: no parameter is the whole model."""
    offenders = []
    for info in pkgutil.iter_modules(mechanisms.__path__):
        name = info.name
        module = importlib.import_module(f"hlssim.mechanisms.{name}")
        assert (module.__doc__ or "").strip(), f"mechanisms/{name}.py has no docstring to say what happens in it"
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and "model" in inspect.signature(fn).parameters:
                offenders.append(f"{name}.{fname}")
    assert not offenders, f"mechanisms that take the whole model: {offenders}"


def _kernels(root=None):
    """Every compiled kernel in the package's source: (where, its def), read with ``ast``."""
    import ast
    from pathlib import Path
    root = root or Path(mechanisms.__file__).parents[1]
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(getattr(d, "id", None) == "kernel" for d in node.decorator_list):
                yield f"{path.relative_to(root)}:{node.lineno} {node.name}", node


def _packed(node) -> bool:
    """A kernel that hands back a bare array of results, to be read by position (``np.array([...])``)."""
    import ast
    return any(isinstance(r, ast.Return) and isinstance(r.value, ast.Call)
               and getattr(r.value.func, "attr", "") == "array" and r.value.args
               and isinstance(r.value.args[0], ast.List) for r in ast.walk(node))


MOST_POSITIONAL = 12


def test_kernels_take_few_positional_arguments_and_return_named_results():
    """Two swapped floats in a long positional list run silently and give wrong numbers: scalars travel in
    named bundles, and results come back named, not packed into an array read by position."""
    long = [f"{where} ({len(node.args.args)} arguments)" for where, node in _kernels()
            if len(node.args.args) > MOST_POSITIONAL]
    packed = [where for where, node in _kernels() if _packed(node)]
    assert not long, f"kernels taking more than {MOST_POSITIONAL} positional arguments: {long}"
    assert not packed, f"kernels returning a packed array read by position: {packed}"


def test_the_kernel_check_would_see_a_long_list_and_a_packed_result(tmp_path):
    args = ", ".join(f"a{i}" for i in range(MOST_POSITIONAL + 1))
    (tmp_path / "k.py").write_text(f"@kernel\ndef long({args}):\n    return 0\n\n"
                                   "@kernel\ndef packed(x):\n    return np.array([x, x])\n")
    found = {node.name: node for _, node in _kernels(tmp_path)}
    assert len(found["long"].args.args) > MOST_POSITIONAL and _packed(found["packed"])
