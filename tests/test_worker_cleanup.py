"""Worker processes go with the process that started them (issue 11), and Ctrl-C ends `hlssim run` with 130.

After SIGKILL of `hlssim run`, its two loky workers and their resource trackers were left running for
minutes (until the workers' idle timeout); Ctrl-C gave a traceback and an exit by signal.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from hlssim.store import Store
from helpers import ctrl_c_as_in_a_terminal

# Runs long enough to be caught in the middle: several seeds on two worker processes.
LONG = ["npm-targets", "--seeds", "40", "--weeks", "260", "--set", "population.citizens=2000", "--jobs", "2",
        "--quiet"]


def start(tmp_path: Path, *args: str) -> subprocess.Popen:
    """`hlssim run` in a session of its own (so a signal can go to its whole process group, as Ctrl-C does)."""
    return subprocess.Popen([str(Path(sys.executable).with_name("hlssim")), "run", *args], cwd=tmp_path,
                            env={**os.environ, "HLSSIM_DB": str(tmp_path / "store.db")}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=ctrl_c_as_in_a_terminal)


def workers_started(proc: subprocess.Popen, count: int = 2, timeout: float = 300) -> list[psutil.Process]:
    """Wait until ``count`` worker processes are running the model (past their start-up), and every child then."""
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        children = parent.children(recursive=True)
        workers = [c for c in children if "popen_loky" in " ".join(_cmdline(c))]
        if len(workers) >= count and all(_cpu(w) > 2.0 for w in workers):
            return parent.children(recursive=True)
        time.sleep(0.2)
    raise AssertionError(f"no {count} busy workers within {timeout} s")


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def _cpu(p: psutil.Process) -> float:
    try:
        times = p.cpu_times()
        return times.user + times.system
    except psutil.Error:
        return 0.0


def ended(processes: list[psutil.Process], seconds: float = 120) -> list[psutil.Process]:
    """Wait for the processes to end (the event; ``seconds`` only bounds a failure); those still running."""
    psutil.wait_procs(processes, timeout=seconds)
    return still_running(processes)


def still_running(processes: list[psutil.Process]) -> list[psutil.Process]:
    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
        except psutil.NoSuchProcess:
            pass
    return alive


def test_workers_and_trackers_go_when_hlssim_run_is_killed(tmp_path):
    proc = start(tmp_path, *LONG)
    children = workers_started(proc)
    kinds = " ".join(" ".join(_cmdline(c)) for c in children)
    assert "popen_loky" in kinds and "resource_tracker" in kinds, kinds
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=120)
        left = ended(children)
        assert not left, f"left running after the parent was killed: {[' '.join(_cmdline(p))[:80] for p in left]}"
    finally:
        for p in still_running(children):
            p.kill()


def test_ctrl_c_ends_hlssim_run_with_130_and_says_how_to_finish(tmp_path):
    proc = start(tmp_path, *LONG)
    children = workers_started(proc)
    try:
        os.killpg(proc.pid, signal.SIGINT)          # what a terminal's Ctrl-C does: the whole foreground group
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and out == ""
    said = re.fullmatch(r"hlssim: interrupted: (\d+) of 40 run\(s\) stored, (\d+) not run; "
                        r"run the same command again to finish\n", err)
    assert said, err
    stored = int(said.group(1))
    assert stored + int(said.group(2)) == 40
    if stored:
        with Store(tmp_path / "store.db") as st:
            assert len(st.runs()) == stored and set(st.runs().status) == {"complete"}
    assert not ended(children)
