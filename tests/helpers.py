"""Small, fast runs for tests: a few hundred citizens for two or three years."""

from __future__ import annotations

import hlssim

SMALL = {"population.citizens": 600}


def run(regime="npm", seed=1, weeks=104, **overrides):
    ov = dict(SMALL)
    ov.update({k.replace("__", "."): v for k, v in overrides.items()})
    return hlssim.simulate(regime, seed=seed, weeks=weeks, overrides=ov)


def mean_summary(key, regime="npm", seeds=(1, 2), weeks=104, **overrides):
    values = [run(regime, seed=s, weeks=weeks, **overrides).summary[key] for s in seeds]
    return sum(values) / len(values)


def wait_for_line(stream, text: str) -> list[str]:
    """Read a child's output line by line until a line holds ``text`` (the event a test waits for, however long
    a busy machine takes); the lines read. Fails if the output ends first (the child ended without it)."""
    seen = []
    for line in stream:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"the output ended without {text!r}:\n{''.join(seen)}")


def ctrl_c_as_in_a_terminal() -> None:
    """A ``preexec_fn`` for a child a test will send Ctrl-C (SIGINT): the default handling a terminal's
    foreground process has, even where the tests themselves run in a background job that ignores SIGINT
    (which the child would inherit, and Python would then never raise KeyboardInterrupt)."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def switched_on() -> dict:
    """Every parameter whose default switches its mechanism off, switched on: found from the parameter table
    (a number at the bottom of its range with a plausible range above it goes to the top of that range; a flag
    left false goes true), not from a hand list, so a new default-off mechanism is exercised as soon as its
    parameter is declared."""
    import math
    table = hlssim.parameter_table()
    on = {}
    for row in table.itertuples():
        if isinstance(row.default, bool):
            if not row.default:
                on[row.key] = True
            continue
        try:
            default = float(row.default)
        except (TypeError, ValueError):
            continue
        if (not math.isnan(row.low) and default == row.low and not math.isnan(row.plausible_high)
                and row.plausible_high > default):
            on[row.key] = int(row.plausible_high) if isinstance(row.default, int) else float(row.plausible_high)
    return on
