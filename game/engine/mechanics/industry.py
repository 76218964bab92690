"""National champions: infant industries with learning-by-doing (Melitz; Juhász): unit cost
falls with cumulative output, so protection pays only where learning is fast."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import CH, MOD, N


@mechanic("national champions",
          reads=("chan", "mods", "champions", "standards_share", "cumulative_output", "champion_cost",
                 "controls_on"),
          writes=("champion_cost", "cumulative_output", "competitiveness"))
def industry(tn: Turn) -> None:
    ind = tn.coef.industry
    nat, chan = tn.nat, tn.chan
    has = (nat[N.CHAMPIONS] >= 0.5).astype(nat.dtype)  # a whole number of champions: at least one
    own_controls = np.maximum(tn.mods[MOD["export_controls"]], 0.0)
    output = has * (ind.subsidy_output * chan[CH["champion"]]
                    + ind.market_output * (ind.home_market + nat[N.STANDARDS_SHARE])
                    * (1 - ind.own_controls_hit * own_controls)
                    # controls spur the champions of the power they hit: cut off from foreign
                    # suppliers, its firms buy from its own and learn by doing
                    + ind.controls_spur * tn.controls_on)
    cum_new = tn.cumulative_output + output
    factor = (cum_new / tn.cumulative_output) ** (-ind.learning_rate)
    cost = nat[N.CHAMPION_COST]
    tn.add(N.CHAMPION_COST, "learning by doing", cost * (factor - 1))
    tn.add(N.CHAMPION_COST, "rivals' export controls",
           ind.export_control_hit * tn.controls_on * nat[N.CHAMPION_COST] * has)
    tn.cumulative_output = cum_new
    full = ind.champions_full
    tn.competitiveness = has * np.minimum(nat[N.CHAMPIONS], full) / full / nat[N.CHAMPION_COST]
