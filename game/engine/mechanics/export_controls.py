"""Export controls: the pressure each power suffers from its rivals' controls, unless a truce
lifts them."""

from __future__ import annotations

import numpy as np

from game.engine import kernels
from game.engine.turn import Turn, mechanic
from game.engine.world import MOD, N


@mechanic("export controls", reads=("mods", "controls_lifted"), writes=("controls_on", "decoupling"))
def export_controls(tn: Turn) -> None:
    ctrl = np.maximum(tn.mods[MOD["export_controls"]], 0.0)  # (B, P) imposed by each
    P = ctrl.shape[1]
    if tn.controls_lifted is None:  # no truce signed in any game
        tn.controls_on = kernels.rivals_total(ctrl, P)
    else:
        tn.controls_on = kernels.rivals_unlifted(tn.controls_lifted, ctrl)
    tn.set(N.DECOUPLING, "rivals' export controls", np.clip(tn.controls_on / max(P - 1, 1), 0, 1))
