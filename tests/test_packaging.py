"""hlssim installed from a wheel works like the repository: the shipped scenarios and sweeps are package data.

Issue 11: ``pip wheel .`` and installing the wheel, ``hlssim list`` found no scenarios and
``hlssim run npm-targets`` failed, because the scenarios lived only in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_lists_every_package_under_src_and_the_shipped_folders():
    """The packages are listed by hand (two live outside src/), so a new subpackage must be added there."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    under_src = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src").rglob("__init__.py")}
    assert set(config["packages"]) == under_src | {"hlssim.scenarios", "hlssim.sweeps", "hlssim.calibration",
                                                   "hlssim.designs"}
    assert config["package-dir"] == {"": "src", "hlssim.scenarios": "scenarios", "hlssim.sweeps": "sweeps",
                                     "hlssim.calibration": "calibration", "hlssim.designs": "designs"}


def _source_tree(into: Path) -> Path:
    """The files a clone would have (tracked, and new ones not ignored), copied so the build leaves no trace."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A wheel built offline from the source tree, installed with --no-deps into a folder of its own."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("the packaging test copies the source tree with git ls-files; run it in a git checkout")
    work = tmp_path_factory.mktemp("wheel")
    source = _source_tree(work / "source")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
                            "--quiet", "-w", str(work / "dist")], cwd=source, capture_output=True, text=True,
                           timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (work / "dist").glob("hlssim-*.whl")
    target = work / "target"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return wheel, target


def _run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Python without site (so the editable install's finder is not loaded), with the wheel's copy of hlssim
    first and this environment's site-packages for the dependencies, in a folder with nothing of hlssim's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HLSSIM_")}
    env.update(PYTHONPATH=os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]]),
               HLSSIM_DB=str(cwd / "store.db"))
    return subprocess.run([sys.executable, "-S", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_wheel_holds_every_module_and_every_shipped_file(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(p.relative_to(ROOT / "src")) for p in (ROOT / "src" / "hlssim").rglob("*.py")}
    assert modules <= names, f"missing from the wheel: {sorted(modules - names)}"
    for folder in ("scenarios", "sweeps", "calibration", "designs"):
        shipped = {f"hlssim/{folder}/{p.name}" for p in (ROOT / folder).glob("*.yaml")}
        assert shipped and shipped <= names, f"missing from the wheel: {sorted(shipped - names)}"
    posteriors = {f"hlssim/calibration/{p.name}" for p in (ROOT / "calibration").glob("*-posterior.*")}
    assert posteriors <= names, f"missing from the wheel: {sorted(posteriors - names)}"


def test_an_installed_wheel_finds_the_shipped_scenarios_from_any_folder(installed, tmp_path):
    _, target = installed
    where = _run_installed(target, tmp_path, "-c", "import hlssim, hlssim.experiments.sweeps.file as s; "
                           "print(hlssim.__file__); print(sorted(s.shipped()))")
    assert where.returncode == 0, where.stderr
    module, sweeps = where.stdout.splitlines()
    assert module.startswith(str(target)), "the test must exercise the wheel's copy, not the repository's"
    assert "where-hls-wins" in sweeps
    found = _run_installed(target, tmp_path, "-c", "import hlssim.experiments.posterior as p, "
                           "hlssim.experiments.calibration as c; print(sorted(p.shipped())); print(sorted(c.shipped()))")
    assert found.returncode == 0, found.stderr
    assert found.stdout.split("\n")[:2] == ["['default']", "['default']"], "the shipped posterior and calibration"
    designs = _run_installed(target, tmp_path, "-c", "import hlssim.experiments.design.file as d; "
                             "print(d.shipped()['contracts']); print(d.load('contracts').name)")
    assert designs.returncode == 0, designs.stderr
    assert designs.stdout.split("\n")[:2] == [str(target / "hlssim" / "designs" / "contracts.yaml"), "contracts"]

    listed = _run_installed(target, tmp_path, "-m", "hlssim.cli", "list")
    assert listed.returncode == 0, listed.stderr
    assert f"Scenarios ({target / 'hlssim' / 'scenarios'})" in listed.stdout
    assert "npm-targets" in listed.stdout and "none found" not in listed.stdout

    checked = _run_installed(target, tmp_path, "-m", "hlssim.cli", "validate", "npm-targets", "hls-devolved")
    assert checked.returncode == 0, checked.stderr
    assert f"ok: {target / 'hlssim' / 'scenarios' / 'npm-targets.yaml'}" in checked.stdout
    assert not list(tmp_path.iterdir()), "listing and validating create nothing in the working folder"
