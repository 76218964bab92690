"""Social stability on a 0-100 scale: calm streets, low grievance and cohesion."""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import N
from game.rules.contract import Coefficients


def stability_parts(coef: Coefficients, protest: Any, grievance: Any, polarisation: Any) -> dict[str, Any]:
    """The parts stability is the sum of (the one formula: the mechanic, the opening state and the
    calibrated start all use it)."""
    s = coef.stability
    return {
        "calm streets": s.calm_weight * (1 - np.minimum(1.0, protest / coef.protest.chenoweth)),
        "low grievance": s.grievance_weight * (1 - grievance),
        "cohesion": s.cohesion_weight * (1 - polarisation),
    }


@mechanic("stability", reads=("protest", "grievance", "polarisation"), writes=("stability",))
def stability(tn: Turn) -> None:
    nat = tn.nat
    parts = stability_parts(tn.coef, nat[N.PROTEST], nat[N.GRIEVANCE], nat[N.POLARISATION])
    for name, value in parts.items():
        tn.cause(N.STABILITY, name, value)
    nat[N.STABILITY] = sum(parts.values())
