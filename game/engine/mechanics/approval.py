"""Approval and polarisation: Mueller's approval dynamics a + ρ·approval − economic costs +
honeymoon; polarisation from data-driven campaigning, checked by cyber and election security."""

from __future__ import annotations

import numpy as np

from game.engine.mechanics.finance import crash_discredits
from game.engine.turn import Turn, mechanic
from game.engine.world import CH, N


@mechanic("approval",
          reads=("chan", "approval", "growth", "expected", "privacy_trust", "honeymoon", "polarisation",
                 "concentration", "coverage", "crash"),
          writes=("approval", "polarisation", "honeymoon"))
def approval(tn: Turn) -> None:
    c = tn.coef.approval
    nat, chan = tn.nat, tn.chan
    old = nat[N.APPROVAL]
    tn.add(N.APPROVAL, "habit (last year's approval)", c.base + (c.persistence - 1) * old)
    tn.add(N.APPROVAL, "economy", c.growth_weight * 100 * (nat[N.GROWTH] - tn.expected))
    # per 10 points of privacy trust below the reference
    tn.add(N.APPROVAL, "privacy", -c.privacy_weight * (c.privacy_reference - nat[N.PRIVACY_TRUST]) / 10)
    tn.add(N.APPROVAL, "honeymoon", tn.honeymoon)
    tn.add(N.APPROVAL, "digital public services", c.services_weight * chan[CH["services"]])
    crash_discredits(tn, N.APPROVAL)
    pol = nat[N.POLARISATION].copy()
    open_debate = np.where(tn.const.elections, 1.0, 1 - chan[CH["censorship"]])
    tn.add(N.POLARISATION, "data-driven campaigning",
           c.polarisation_growth * nat[N.CONCENTRATION] * nat[N.COVERAGE] * (1 - pol) * open_debate)
    tn.add(N.POLARISATION, "cyber and election security", -c.cyber_effect * chan[CH["cyber"]] * pol)
    tn.add(N.POLARISATION, "cooling", -c.polarisation_cooling * pol)
    tn.honeymoon = tn.honeymoon * c.honeymoon_fade
