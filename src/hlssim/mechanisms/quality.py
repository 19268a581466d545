"""Bad practice: it creeps in, it costs the people served, and something must catch it
(docs/ODD.md, section 7.12a).

A worker's practice can drift into a bad habit that halves what their support does. Standard
protocols prevent some drift, but only where the work is simple (Haynes et al. 2009; Rotter et
al. 2010: 30-40% fewer errors on simple tasks, about none on complex ones). Inspection of
records catches some under NPM; under HLS learning sessions catch some, in proportion to how
openly failures are shared (seed, "Learning Cycles").
"""

from __future__ import annotations

import numpy as np

from ..params import Params
from ..params.practices import Settings
from ..state import Ledger, Workers
from ..state.books import tally
from .contract import writes

# What this module books in the ledger, and which of it readers see week by week (state/books.py).
BOOKS = (
    tally("bad_practice_worker_weeks", "worker-weeks", "workers whose practice had drifted into a bad habit, each week"),
    tally("bad_practice_caught", "workers", "bad habits caught by inspection or a learning session"),
)


@writes("workers.bad_practice", "ledger")
def drift_and_catch(w: Workers, p: Params, s: Settings, rng: np.random.Generator, ledger: Ledger, week: int) -> None:
    """Practice drifts into bad habits; audits and learning sessions catch and correct some."""
    q, world = p.quality, p.world
    onset_draw, catch_draw = rng.random(w.count), rng.random(w.count)   # the practice stream's own draws
    simple = 1.0 - (world.uniqueness + world.interdependence + world.dynamism) / 3.0
    onset = q.drift_rate * (1.0 - q.protocol_protection * (1.0 - s.bespoke) * simple)
    catch = s.inspection_rate * q.inspection_catch
    if week % p.learning.cycle_weeks == 0:
        catch = 1.0 - (1.0 - catch) * (1.0 - s.team_learning * s.error_sharing * q.peer_catch)
    caught = w.bad_practice & (catch_draw < catch)
    started = ~w.bad_practice & (onset_draw < onset)
    w.bad_practice = (w.bad_practice & ~caught) | started
    ledger.add("bad_practice_caught", int(caught.sum()))
    ledger.add("bad_practice_worker_weeks", int(w.bad_practice.sum()))
