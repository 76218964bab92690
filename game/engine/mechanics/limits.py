"""Limits: every indicator is held within the bounds its rules file declares (the report shows
what the bounds took as "limits and rounding")."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic


@mechanic("limits", reads=("every indicator",), writes=("every indicator",))
def limits(tn: Turn) -> None:
    w = tn.world
    np.clip(tn.nat, w.lo[:, None, None], w.hi[:, None, None], out=tn.nat)
    np.clip(tn.reg, w.region_lo[:, None, None], w.region_hi[:, None, None], out=tn.reg)
