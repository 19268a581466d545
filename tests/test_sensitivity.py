"""Morris screening finds the parameters that matter and gives zero to one that cannot."""

import pytest

from hlssim.experiments.sensitivity import morris

SMALL = {"population.citizens": 300}


@pytest.fixture(scope="module")
def screening():
    # Under NPM, learning.conversation_hls never enters the model (public-facing practice is 0).
    return morris(ranges={"targets.pressure": (0.0, 1.0), "learning.conversation_hls": (0.3, 1.0)},
                  outputs=("misreport_rate", "measured_effort_share"), target="npm",
                  trajectories=4, weeks=40, base=SMALL, n_jobs=1)


def test_a_parameter_that_cannot_matter_gets_no_effect(screening):
    inert = screening[screening.parameter == "learning.conversation_hls"]
    assert (inert.mu_star == 0).all()


def test_target_pressure_moves_gaming(screening):
    pressure = screening[screening.parameter == "targets.pressure"].set_index("output")
    assert pressure.loc["misreport_rate", "mu_star"] > 0
    assert pressure.loc["measured_effort_share", "mu"] > 0     # more pressure, more effort on the measured


def test_paired_difference_runs_both_regimes_and_whole_number_parameters_stay_whole():
    table = morris(ranges={"world.uniqueness": (0.0, 1.0), "caseload.npm_cap": (15, 40)},
                   outputs=("flourishing_gain",), target="difference", trajectories=2, weeks=20, base=SMALL, n_jobs=1)
    assert list(table.columns) == ["output", "parameter", "mu_star", "mu", "sigma", "mu_star_conf"]
    assert len(table) == 2


def test_bad_keys_and_targets_are_refused():
    with pytest.raises(ValueError, match="world.uniquenes"):
        morris(ranges={"world.uniquenes": (0, 1)}, trajectories=2, weeks=2, base=SMALL, n_jobs=1)
    with pytest.raises(ValueError, match="population.smd_share"):
        morris(ranges={"population.smd_share": (0.0, 1.5)}, trajectories=2, weeks=2, base=SMALL, n_jobs=1)
    with pytest.raises(ValueError, match="target"):
        morris(target="both", trajectories=2, weeks=2, base=SMALL, n_jobs=1)
