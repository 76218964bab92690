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
    retaliation(tn, ctrl)


def retaliation(tn: Turn, ctrl: np.ndarray) -> None:
    """Controls are answered in kind (China's gallium, germanium and graphite controls of 2023
    answered the US chip controls): a power's controls are answered with a share of them
    (`industry.retaliation`), split among the rivals they bite, which the imposer then suffers
    like any rival's controls. Split, not per rival: otherwise a party-state facing two
    democracies pays twice for the same controls, and the three-power game turns on it."""
    share = tn.coef.industry.retaliation
    if share <= 0 or not ctrl.any():
        return
    P = ctrl.shape[1]
    if tn.controls_lifted is None:
        tn.controls_on = tn.controls_on + share * ctrl
        return
    # rivals each power's controls still bite, in the controls' own type: a game must play the
    # same whether or not another game of its batch has signed a truce (the other branch above)
    bitten = np.zeros(ctrl.shape, dtype=ctrl.dtype)
    for p in range(P):
        for q in range(P):
            if q != p:
                bitten[:, p] += 1 - tn.controls_lifted[:, q, p]
    tn.controls_on = tn.controls_on + share * (bitten / (P - 1)) * ctrl
