"""Protest: Granovetter's threshold cascade p' = F(p), thresholds ~ N(μ, σ): grievance lowers μ,
surveillance raises it, online coordination lowers it; AI dampens unrest (Beraja et al.)."""

from __future__ import annotations

import numpy as np

from game.engine.kernels import normal_cdf
from game.engine.turn import Turn, mechanic
from game.engine.world import N


@mechanic("protest",
          reads=("grievance", "protest", "control", "coordination", "ai_control"),
          writes=("protest",))
def protest(tn: Turn) -> None:
    c = tn.coef.protest
    nat = tn.nat
    mu = (c.mu - c.grievance_weight * nat[N.GRIEVANCE]
          + c.control_weight * tn.control - tn.coordination)
    p = np.maximum(c.carry_over * nat[N.PROTEST], c.seed * nat[N.GRIEVANCE])
    for _ in range(int(c.iterations)):
        p = normal_cdf((p - mu) / c.sigma)
    damp = 1 - tn.coef.ai.unrest_dampening * tn.ai_control
    tn.set(N.PROTEST, "protest cascade", p * damp)
