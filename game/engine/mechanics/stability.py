"""Social stability on a 0-100 scale: calm streets, low grievance and cohesion."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import N


@mechanic("stability", reads=("protest", "grievance", "polarisation"), writes=("stability",))
def stability(tn: Turn) -> None:
    nat = tn.nat
    s = tn.coef.stability
    chenoweth = tn.coef.protest.chenoweth
    parts = {
        "calm streets": s.calm_weight * (1 - np.minimum(1.0, nat[N.PROTEST] / chenoweth)),
        "low grievance": s.grievance_weight * (1 - nat[N.GRIEVANCE]),
        "cohesion": s.cohesion_weight * (1 - nat[N.POLARISATION]),
    }
    for name, value in parts.items():
        tn.cause(N.STABILITY, name, value)
    nat[N.STABILITY] = sum(parts.values())
