"""Engine throughput: citizen-weeks per second, against a trivial plain-Mesa model.

What it measures
----------------
For each population size (default 1,000, 10,000 and 100,000 citizens) and each
regime preset ("npm" and "hls"), how many citizen-weeks per second
``hlssim.ServiceModel`` runs: citizens x weeks / wall-clock seconds of
``model.run_for(weeks)``. In the same run, at the same sizes, it measures the
agent-steps per second of a trivial plain-Mesa model whose agents each do a few
float operations, stepped with ``model.agents.shuffle_do("step")``.

Why
---
The engine keeps its state in numpy arrays and steps everyone at once, while
users still see one Mesa agent per citizen. The trivial model is the cheapest
thing a conventional one-method-call-per-agent Mesa model can do, so it is the
yardstick: the target is that at 100,000 citizens the full engine runs at least
three times as many citizen-weeks per second as the trivial model runs
agent-steps per second (ratio engine/trivial >= 3; it was >= 1 before the speed
issue).

How
---
* Building a model is not part of the weekly rate: each repetition builds a
  fresh model with the same seed outside the timed region, runs ``--warmup``
  weeks untimed (so caseloads have filled), then times ``--weeks`` weeks.
* Each measurement is repeated ``--repeats`` times and the fastest is kept;
  engine and trivial repetitions are interleaved so background load on a small
  machine hits both alike. The main thread's CPU time is recorded beside wall
  time, and a note is printed when other processes visibly slowed the kept runs.
* Peak memory is measured in a separate, untimed pass with ``tracemalloc``
  (which also sees numpy's buffers): the peak traced heap while building the
  model and running the warm-up weeks. The process's peak RSS is reported too.
* ``--profile`` additionally runs cProfile over engine weeks (after warm-up; one at 200,000+ citizens)
  at the largest size under each preset and prints the top functions, plus the
  share of a week spent drawing random numbers (which cProfile cannot see).

Results are printed as a table and written to ``results/bench_engine.json``,
with the hlssim path and git commit that were measured. To benchmark another
checkout, put its ``src`` first on ``PYTHONPATH``.

    .venv/bin/python benchmarks/bench_engine.py                 # full run
    .venv/bin/python benchmarks/bench_engine.py --quick         # 1,000 and 10,000 only
    .venv/bin/python benchmarks/bench_engine.py --sizes 100000 --weeks 10 --repeats 5 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import mesa
import numpy as np

import hlssim

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "results" / "bench_engine.json"
PRESETS = ("npm", "hls")
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
TARGET_SIZE = 100_000
TARGET_RATIO = 3.0
SEED = 1


def default_weeks(size: int) -> int:
    """Timed weeks per repetition: fewer for big populations, where a week already takes a while."""
    return 13 if size >= 100_000 else 26


# --- the yardstick: a trivial plain-Mesa model ---------------------------------------------

class TrivialAgent(mesa.Agent):
    """Does a few float operations a step and nothing else."""

    def __init__(self, model: mesa.Model, target: float):
        super().__init__(model)
        self.wellbeing = 0.5
        self.target = target

    def step(self) -> None:
        self.wellbeing += 0.05 * (self.target - self.wellbeing)
        self.target = 0.99 * self.target + 0.005


class TrivialModel(mesa.Model):
    def __init__(self, n: int, rng: int | None = None):
        super().__init__(rng=rng)
        TrivialAgent.create_agents(self, n, target=self.rng.random(n).tolist())

    def step(self) -> None:
        self.agents.shuffle_do("step")


# --- measurements -------------------------------------------------------------------------

Builder = Callable[[], mesa.Model]


def engine_builder(preset: str, size: int) -> Builder:
    params = hlssim.resolve(preset, {"population.citizens": size})
    return lambda: hlssim.ServiceModel(params, rng=SEED)


def trivial_builder(size: int) -> Builder:
    return lambda: TrivialModel(size, rng=SEED)


def timed_run(build: Builder, warmup: int, weeks: int) -> tuple[float, float]:
    """Wall and CPU seconds for ``weeks`` steps of a fresh model, built and warmed up untimed.

    Wall time is the measure; the main thread's CPU time (not numpy's helper threads) is kept
    to show when other processes slowed a run: then wall time is well above it.
    """
    model = build()
    if warmup:
        model.run_for(warmup)
    gc.collect()
    wall, cpu = time.perf_counter(), time.thread_time()
    model.run_for(weeks)
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    del model
    gc.collect()
    return wall, cpu


def peak_traced_mb(build: Builder, weeks: int) -> float:
    """Peak traced heap (MiB) while building a model and running ``weeks`` steps (untimed pass)."""
    gc.collect()
    tracemalloc.start()
    try:
        model = build()
        if weeks:
            model.run_for(weeks)
        _, peak = tracemalloc.get_traced_memory()
        del model
    finally:
        tracemalloc.stop()
    gc.collect()
    return peak / 2**20


def measure_size(size: int, weeks: int, warmup: int, repeats: int) -> list[dict]:
    """One row per preset at this size, with the trivial model measured alongside."""
    engines = {preset: engine_builder(preset, size) for preset in PRESETS}
    trivial = trivial_builder(size)
    times: dict[str, list[float]] = {key: [] for key in (*PRESETS, "trivial")}
    cpu: dict[str, list[float]] = {key: [] for key in times}
    for _ in range(repeats):      # interleaved, so background load hits engine and trivial alike
        for key, build in (*engines.items(), ("trivial", trivial)):
            wall, used = timed_run(build, warmup, weeks)
            times[key].append(wall)
            cpu[key].append(used)

    trivial_rate = size * weeks / min(times["trivial"])
    trivial_mb = peak_traced_mb(trivial, warmup)
    rows = []
    for preset, build in engines.items():
        rate = size * weeks / min(times[preset])
        rows.append({
            "citizens": size,
            "preset": preset,
            "weeks_timed": weeks,
            "warmup_weeks": warmup,
            "repeats": repeats,
            "engine_seconds_per_week": min(times[preset]) / weeks,
            "citizen_weeks_per_s": rate,
            "trivial_agent_steps_per_s": trivial_rate,
            "ratio_engine_to_trivial": rate / trivial_rate,
            "engine_peak_mb": peak_traced_mb(build, warmup),
            "trivial_peak_mb": trivial_mb,
            "engine_seconds_all": times[preset],
            "engine_cpu_seconds_all": cpu[preset],
            "trivial_seconds_all": times["trivial"],
            "trivial_cpu_seconds_all": cpu["trivial"],
        })
    return rows


class _TimedGenerator:
    """Stands in for a numpy Generator and adds the wall time of every draw to ``clock``."""

    def __init__(self, generator: np.random.Generator, clock: list[float]):
        self._generator, self._clock = generator, clock

    def __getattr__(self, name: str):
        attr = getattr(self._generator, name)
        if not callable(attr):
            return attr

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self._clock[0] += time.perf_counter() - start
        return timed


def profile_week(preset: str, size: int, warmup: int, top: int = 15) -> dict:
    """cProfile engine weeks after warm-up, per week: hlssim functions by cumulative time, and the
    heaviest callees (mostly numpy) by own time. Shares are of the whole profiled time. Small
    populations are profiled over several weeks (up to 20), so one week's noise does not lead.

    cProfile does not see numpy.random's draws (their time lands in the caller's own time),
    so the next week is run with the model's random streams wrapped to time every draw.
    """
    model = engine_builder(preset, size)()
    if warmup:
        model.run_for(warmup)
    weeks = max(1, min(20, 200_000 // size))
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    model.run_for(weeks)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    week = sum(tt for _, _, tt, _, _ in stats.values()) / weeks
    engine, other = [], []
    for (path, line, func), (_, calls, own, cum, _) in stats.items():
        own, cum = own / weeks, cum / weeks
        row = {"function": f"{Path(path).name}:{line}({func})" if line else func, "calls": calls / weeks,
               "cum_s": cum, "own_s": own, "cum_share": cum / week, "own_share": own / week}
        (engine if f"{os.sep}hlssim{os.sep}" in path else other).append(row)

    clock = [0.0]
    streams = getattr(model, "streams", None)
    for name, value in list(vars(streams).items()) if streams is not None else []:
        if isinstance(value, np.random.Generator):
            setattr(streams, name, _TimedGenerator(value, clock))
    gc.collect()
    start = time.perf_counter()
    model.run_for(1)
    rng_week = time.perf_counter() - start
    return {
        "preset": preset, "citizens": size, "warmup_weeks": warmup, "weeks_profiled": weeks, "week_s": week,
        "random_draws_share": clock[0] / rng_week if clock[0] else None,
        "engine_by_cumulative": sorted(engine, key=lambda r: -r["cum_s"])[:top],
        "other_by_own": sorted(other, key=lambda r: -r["own_s"])[:8],
    }


def format_profile(prof: dict) -> str:
    lines = [f"=== cProfile: a week (mean of {prof.get('weeks_profiled', 1)}), {prof['citizens']:,} citizens, preset "
             f"{prof['preset']} (after {prof['warmup_weeks']} warm-up weeks): {prof['week_s'] * 1e3:.1f} ms ===",
             f"  {'cum share':>9}  {'cum ms':>7}  {'own ms':>7}  {'calls':>5}  function"]
    for r in prof["engine_by_cumulative"]:
        lines.append(f"  {r['cum_share']:>9.1%}  {r['cum_s'] * 1e3:>7.1f}  {r['own_s'] * 1e3:>7.1f}  "
                     f"{r['calls']:>5.0f}  {r['function']}")
    lines.append(f"  {'own share':>9}  {'':>7}  {'own ms':>7}  {'calls':>5}  heaviest callees outside hlssim")
    for r in prof["other_by_own"]:
        lines.append(f"  {r['own_share']:>9.1%}  {'':>7}  {r['own_s'] * 1e3:>7.1f}  {r['calls']:>5.0f}  {r['function']}")
    if prof["random_draws_share"] is not None:
        lines.append(f"  random draws (numpy.random, counted in callers' own time above): "
                     f"{prof['random_draws_share']:.1%} of the next week")
    return "\n".join(lines)


# --- whole runs and a whole city ------------------------------------------------------------

def whole_run_seconds(preset: str, size: int, weeks: int, repeats: int) -> dict:
    """Wall seconds of ``hlssim.simulate`` end to end (build, weeks, summary), the fastest of ``repeats``."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        hlssim.simulate(preset, seed=SEED, weeks=weeks, overrides={"population.citizens": size})
        times.append(time.perf_counter() - start)
    return {"case": "whole_run", "preset": preset, "citizens": size, "weeks": weeks, "seconds": min(times),
            "seconds_all": times}


def city(preset: str, size: int, weeks: int, warmup: int) -> dict:
    """A whole place: build time, mean time of ``weeks`` weeks after ``warmup``, a 260-week projection and
    this process's peak RSS (run it in its own process, as --table does, to read the RSS of one model)."""
    gc.collect()
    start = time.perf_counter()
    model = engine_builder(preset, size)()
    build = time.perf_counter() - start
    model.run_for(warmup)
    start = time.perf_counter()
    model.run_for(weeks)
    week = (time.perf_counter() - start) / weeks
    return {"case": "city", "preset": preset, "citizens": size, "build_s": build, "week_s": week,
            "weeks_timed": weeks, "warmup_weeks": warmup, "projection_260_s": build + 260 * week,
            "citizen_weeks_per_s": size / week, "peak_rss_mb": peak_rss_mb()}


TABLE_CASES = [
    ("default run, 2,000 citizens x 260 weeks (s)", "run", 2000, "<= 0.35"),
    ("100,000 citizens: citizen-weeks/s over trivial Mesa agent-steps/s", "ratio", 100_000, ">= 3"),
    ("1,000,000 citizens: build (s)", "city:build_s", 1_000_000, "<= 5"),
    ("1,000,000 citizens: one week (s)", "city:week_s", 1_000_000, "<= 0.6"),
    ("1,000,000 citizens x 260 weeks, build included (s)", "city:projection_260_s", 1_000_000, "<= 180"),
    ("peak memory at 1,000,000 citizens (MB RSS)", "city:peak_rss_mb", 1_000_000, "<= 4096"),
]


def run_case(kind: str, preset: str, src: str | None) -> dict:
    """One table case in a fresh process (``src``: put another checkout's src first on the path)."""
    env = {**os.environ, **({"PYTHONPATH": src} if src else {})}
    out = subprocess.run([sys.executable, __file__, "--case", kind, "--preset", preset], env=env,
                         capture_output=True, text=True, timeout=3600)
    if out.returncode:
        raise RuntimeError(f"case {kind} {preset} failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_case(kind: str, preset: str) -> dict:
    if kind == "run":
        return whole_run_seconds(preset, 2000, 260, repeats=3)
    if kind == "ratio":
        row = next(r for r in measure_size(100_000, 13, 8, 3) if r["preset"] == preset)
        return {"case": "ratio", "preset": preset, "ratio": row["ratio_engine_to_trivial"],
                "citizen_weeks_per_s": row["citizen_weeks_per_s"], "trivial": row["trivial_agent_steps_per_s"]}
    return city(preset, 1_000_000, weeks=5, warmup=4)


def table(reference: str | None) -> list[dict]:
    """Every row of the speed issue's table, for this checkout and a reference checkout, alternating."""
    results = []
    kinds = list(dict.fromkeys(kind.split(":")[0] for _, kind, _, _ in TABLE_CASES))
    for kind in kinds:
        for preset in PRESETS:
            for label, src in (("now", None), ("reference", reference)):
                if label == "reference" and not reference:
                    continue
                print(f"  {kind} {preset} ({label}) ...", flush=True)
                results.append({"code": label, **run_case(kind, preset, src)})
    return results


def format_speed_table(results: list[dict], reference: bool) -> str:
    def value(code, kind, preset):
        name, _, field = kind.partition(":")
        row = next((r for r in results if r["code"] == code and r["case"] == {"run": "whole_run"}.get(name, name)
                    and r["preset"] == preset), None)
        if row is None:
            return "-"
        number = row[field] if field else (row["seconds"] if name == "run" else row["ratio"])
        return f"{number:,.2f}" if number < 100 else f"{number:,.0f}"
    header = f"{'case':<68} {'preset':<6} {'reference':>10} {'now':>10}  target"
    lines = [header, "-" * len(header)]
    for label, kind, _, target in TABLE_CASES:
        for preset in PRESETS:
            ref = value("reference", kind, preset) if reference else "-"
            lines.append(f"{label:<68} {preset:<6} {ref:>10} {value('now', kind, preset):>10}  {target}")
    return "\n".join(lines)


# --- reporting ----------------------------------------------------------------------------

def code_state() -> dict:
    """Which hlssim was imported, and its git commit (if it lives in a checkout) and whether it was edited."""
    package = Path(hlssim.__file__).resolve().parent

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=package, capture_output=True, text=True, timeout=5)
            return out.stdout.strip() if out.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            return None
    status = git("status", "--porcelain", "--untracked-files=no", "--", ".")
    return {"hlssim_path": str(package), "git_commit": git("rev-parse", "HEAD"),
            "hlssim_uncommitted_changes": bool(status) if status is not None else None}


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10


def format_table(rows: list[dict]) -> str:
    header = (f"{'citizens':>9}  {'preset':<6} {'weeks':>5}  {'ms/week':>7}  {'citizen-weeks/s':>15}  "
              f"{'trivial steps/s':>15}  {'engine/trivial':>14}  {'engine MB':>9}  {'trivial MB':>10}")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['citizens']:>9,}  {r['preset']:<6} {r['weeks_timed']:>5}  {r['engine_seconds_per_week'] * 1e3:>7.1f}  "
            f"{r['citizen_weeks_per_s']:>15,.0f}  {r['trivial_agent_steps_per_s']:>15,.0f}  "
            f"{r['ratio_engine_to_trivial']:>14.2f}  {r['engine_peak_mb']:>9.1f}  {r['trivial_peak_mb']:>10.1f}")
    return "\n".join(lines)


def target_verdict(rows: list[dict]) -> dict | None:
    at_target = [r for r in rows if r["citizens"] == TARGET_SIZE]
    if not at_target:
        return None
    return {r["preset"]: {"ratio": r["ratio_engine_to_trivial"], "met": r["ratio_engine_to_trivial"] >= TARGET_RATIO}
            for r in at_target}


def busiest_best(rows: list[dict]) -> float:
    """Largest wall/CPU ratio among the kept (fastest) runs: about 1 on an idle machine."""
    ratios = []
    for r in rows:
        for wall, cpu in (("engine_seconds_all", "engine_cpu_seconds_all"),
                          ("trivial_seconds_all", "trivial_cpu_seconds_all")):
            best = min(range(len(r[wall])), key=r[wall].__getitem__)
            ratios.append(r[wall][best] / max(r[cpu][best], 1e-12))
    return max(ratios, default=1.0)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be comma-separated whole numbers; got {text!r}") from None
    if not sizes or min(sizes) < 10:
        raise argparse.ArgumentTypeError("sizes must be whole numbers >= 10")
    return sizes


def _int_at_least(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"must be >= {low}; got {value}")
    return value


def positive_int(text: str) -> int:
    return _int_at_least(text, 1)


def non_negative_int(text: str) -> int:
    return _int_at_least(text, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="comma-separated citizen counts (default: 1000,10000,100000)")
    parser.add_argument("--quick", action="store_true",
                        help=f"small sizes only ({','.join(map(str, QUICK_SIZES))}); overrides --sizes")
    parser.add_argument("--weeks", type=positive_int, default=None,
                        help="timed weeks per repetition at every size (default: 26, or 13 at 100,000+)")
    parser.add_argument("--warmup", type=non_negative_int, default=8,
                        help="untimed weeks before timing, so caseloads have filled (default: 8)")
    parser.add_argument("--repeats", type=positive_int, default=3,
                        help="repetitions per measurement; the fastest is kept (default: 3)")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile engine weeks at the largest size under each preset")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON output (default: results/bench_engine.json)")
    parser.add_argument("--whole-run", action="store_true",
                        help="time hlssim.simulate end to end at each size for --weeks weeks (e.g. --sizes 2000 --weeks 260)")
    parser.add_argument("--city", action="store_true",
                        help="build time, week time, 260-week projection and peak RSS at each size (e.g. --sizes 1000000)")
    parser.add_argument("--table", action="store_true",
                        help="every row of the speed table (default run, 100,000 ratio, 1,000,000 city), each case in "
                             "its own process; with --reference, side by side with another checkout")
    parser.add_argument("--reference", metavar="SRC", help="with --table: another checkout's src folder to measure alike")
    parser.add_argument("--profile-sizes", type=parse_sizes, metavar="SIZES",
                        help="only cProfile weeks at each of these sizes under each preset (e.g. 2000,100000,1000000)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--preset", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = list(QUICK_SIZES) if args.quick else args.sizes
    if args.case:                       # one case of --table, in its own process: print it as JSON
        print(json.dumps(one_case(args.case, args.preset)))
        return 0
    if args.table or args.whole_run or args.city or args.profile_sizes:
        return special(args, sizes)

    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    code = code_state()      # at the start: the code that is imported is the code at start
    commit = (code["git_commit"] or "no git")[:10] + (" + uncommitted changes" if code["hlssim_uncommitted_changes"] else "")
    print(f"hlssim {hlssim.__version__} ({commit}) | mesa {mesa.__version__} | numpy {np.__version__} | "
          f"Python {platform.python_version()} | {os.cpu_count()} CPUs | load {load_before[0]:.2f}")
    print(f"hlssim from {code['hlssim_path']}")
    print(f"warm-up {args.warmup} weeks, best of {args.repeats}, seed {SEED}\n")

    rows: list[dict] = []
    for size in sizes:
        weeks = args.weeks or default_weeks(size)
        print(f"  measuring {size:,} citizens ({weeks} weeks x {args.repeats}) ...", flush=True)
        rows.extend(measure_size(size, weeks, args.warmup, args.repeats))

    print()
    print(format_table(rows))
    verdict = target_verdict(rows)
    if verdict:
        parts = [f"{preset} {v['ratio']:.3f} ({'met' if v['met'] else 'NOT met'})" for preset, v in verdict.items()]
        print(f"\nTarget at {TARGET_SIZE:,} citizens, engine/trivial >= {TARGET_RATIO:g}: " + ", ".join(parts))
    busy = busiest_best(rows)
    if busy > 1.1:
        print(f"Note: a best run's wall time was {busy:.2f}x its main-thread CPU time; other processes were competing "
              "for the CPU, so rates are pessimistic (see *_cpu_seconds_all in the JSON).")
    rss = peak_rss_mb()
    print(f"Peak RSS of this process: {rss:,.0f} MiB (engine/trivial MB columns: peak traced heap per model)")

    profiles = {}
    if args.profile:
        for preset in PRESETS:
            profiles[preset] = profile_week(preset, max(sizes), args.warmup)
            print("\n" + format_profile(profiles[preset]))

    result = {
        "meta": {
            "started": started.isoformat(timespec="seconds"),
            "hlssim_version": hlssim.__version__,
            "code": code,
            "mesa_version": mesa.__version__,
            "numpy_version": np.__version__,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "seed": SEED,
            "warmup_weeks": args.warmup,
            "repeats": args.repeats,
            "peak_rss_mb": rss,
            "memory_note": "engine_peak_mb/trivial_peak_mb: tracemalloc peak while building and warming up one model",
        },
        "rows": rows,
        "target": {"citizens": TARGET_SIZE, "ratio_at_least": TARGET_RATIO, "by_preset": verdict},
        "profiles": profiles,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


def special(args, sizes: list[int]) -> int:
    """The whole-run, city, table and profile-only modes: print, and write JSON beside the usual output."""
    code = code_state()
    print(f"hlssim {hlssim.__version__} ({(code['git_commit'] or 'no git')[:10]}) from {code['hlssim_path']} | "
          f"{os.cpu_count()} CPUs | load {os.getloadavg()[0]:.2f}\n")
    results: list[dict] = []
    if args.table:
        results = table(args.reference)
        print("\n" + format_speed_table(results, bool(args.reference)))
    for size in sizes if args.whole_run else []:
        for preset in PRESETS:
            row = whole_run_seconds(preset, size, args.weeks or 260, args.repeats)
            results.append(row)
            print(f"whole run {preset} {size:,} citizens x {row['weeks']} weeks: {row['seconds']:.3f} s (best of "
                  f"{args.repeats}: {', '.join(f'{t:.3f}' for t in row['seconds_all'])})")
    for size in sizes if args.city else []:
        for preset in PRESETS:
            row = city(preset, size, args.weeks or 5, args.warmup)
            results.append(row)
            print(f"city {preset} {size:,}: build {row['build_s']:.2f} s, week {row['week_s']:.3f} s, 260 weeks with "
                  f"build {row['projection_260_s']:.0f} s, peak RSS {row['peak_rss_mb']:,.0f} MB")
    for size in args.profile_sizes or []:
        for preset in PRESETS:
            prof = profile_week(preset, size, args.warmup)
            results.append({"case": "profile", **prof})
            print("\n" + format_profile(prof))
    out = args.out.with_name(args.out.stem + "_special.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"code": code, "load": os.getloadavg(), "results": results}, indent=2, default=str))
    print(f"\nWrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
