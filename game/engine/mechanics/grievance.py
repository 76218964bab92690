"""Grievance: what citizens resent. Growth below what they came to expect (inertia: they remember
the last few years), lost privacy, polarisation and crashes."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import CH, N


@mechanic("grievance",
          reads=("chan", "reported_growth", "growth_memory", "expected", "privacy_trust", "polarisation", "crash"),
          writes=("grievance", "growth_memory", "expected"))
def grievance(tn: Turn) -> None:
    g = tn.coef.grievance
    nat = tn.nat
    perceived = nat[N.REPORTED_GROWTH]
    memory = g.memory * tn.growth_memory + (1 - g.memory) * perceived
    expected = g.expectation_persistence * tn.expected + (1 - g.expectation_persistence) * memory
    parts = {
        "growth below expectations": g.shortfall_weight * np.maximum(0.0, expected - memory),
        # resentment at privacy lost relative to what people were used to
        "lost privacy": g.privacy_weight * np.maximum(0.0, tn.const.base_trust - nat[N.PRIVACY_TRUST]) / 100,
        "polarisation": g.polarisation_weight * nat[N.POLARISATION],
        "financial crash": g.crash_weight * tn.crash.astype(nat.dtype),
        # e-government and online health answer everyday complaints before they become grievances
        "digital public services": -tn.coef.protest.services_relief * tn.chan[CH["services"]],
    }
    total = np.maximum(sum(parts.values()), 0.0)
    scale = np.where(total > 1, 1 / np.maximum(total, 1e-9), 1.0)
    for name, value in parts.items():
        tn.cause(N.GRIEVANCE, name, value * scale)
    nat[N.GRIEVANCE] = np.minimum(total, 1.0)
    tn.growth_memory, tn.expected = memory, expected
