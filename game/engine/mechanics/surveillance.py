"""Surveillance capacity follows social-credit and surveillance spending with inertia."""

from __future__ import annotations

from game.engine.turn import Turn, mechanic
from game.engine.world import CH, N


@mechanic("surveillance", reads=("chan", "surveillance"), writes=("surveillance",))
def surveillance(tn: Turn) -> None:
    surv = tn.nat[N.SURVEILLANCE]
    tn.add(N.SURVEILLANCE, "social credit and surveillance",
           tn.coef.surveillance.adjust * (tn.chan[CH["surveillance"]] - surv))
