"""An agent learns through the vector env: a small numpy policy-gradient run beats the
untrained policy by a statistical margin, not a fixed number."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("gymnasium")

from game.lab.rl_learn import LinearPolicy, evaluate, train, win_rate
from game.lab.rl_vector import SystemicVectorEnv


@pytest.mark.slow  # trains 25 updates of 256 games
def test_policy_gradient_learns_to_beat_its_untrained_self_against_status_quo() -> None:
    env = SystemicVectorEnv(1, power="usa")
    untrained = LinearPolicy.untrained(env.games.dim, env.games.actions.n, seed=0)
    trained = LinearPolicy.untrained(env.games.dim, env.games.actions.n, seed=0)
    curve = train(trained, "status_quo", iterations=25, games=256, seed=1, power="usa")
    before, draw = evaluate(untrained, "status_quo", 1500, seed=77, power="usa")
    after, _ = evaluate(trained, "status_quo", 1500, seed=77, power="usa")
    # the same 1,500 games' luck for both: the margins differ by the policy alone
    gain = after - before
    assert gain.mean() > 4 * gain.std(ddof=1) / np.sqrt(gain.size)  # four standard errors
    assert win_rate(after, draw)[1] > win_rate(before, draw)[2]  # the 95% intervals do not overlap
    assert curve[-1] > curve[0]
