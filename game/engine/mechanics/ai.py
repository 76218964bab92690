"""AI capability: research, the AI-tocracy loop (Beraja, Kao, Yang & Yuchtman: unrest drives
surveillance procurement, contracts spill over into commercial software), state data feeding
innovation, and rivals' export controls."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import CH, N


@mechanic("AI capability",
          reads=("chan", "protest", "surveillance", "ai_capability", "data_sharing", "data_intensity",
                 "controls_on"),
          writes=("ai_capability",))
def ai_loop(tn: Turn) -> None:
    a = tn.coef.ai
    nat, chan = tn.nat, tn.chan
    unrest = np.clip(tn.prev[N.PROTEST] / tn.coef.protest.chenoweth, 0, 1)
    ai = nat[N.AI].copy()
    tn.add(N.AI, "AI research", a.research_build * chan[CH["ai"]])
    tn.add(N.AI, "surveillance procurement",
           a.software_spillover * nat[N.SURVEILLANCE] * (1 + a.procurement_boost * unrest))
    tn.add(N.AI, "shared data", a.data_feed * tn.data_sharing * np.log1p(tn.data_intensity))
    tn.add(N.AI, "rivals' export controls", -a.export_control_hit * tn.controls_on * ai / 10)  # per 10 points
    tn.add(N.AI, "obsolescence", -a.decay * ai)
