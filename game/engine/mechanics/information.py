"""What the state knows and how well the economy is steered: the dictator's dilemma (Wintrobe;
Dragu & Lupu), Goodhart's data-quality distortion, and allocative efficiency of planning versus
markets (Hayek; Heilmann; Morozov)."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import CH, MOD, N


@mechanic("information and planning",
          reads=("chan", "mods", "ai_capability", "surveillance", "coverage", "data_quality",
                 "polarisation", "concentration"),
          writes=("information_gap", "control", "coordination", "ai_control", "planning_share",
                  "data_quality", "efficiency"))
def information(tn: Turn) -> None:
    nat, chan, w = tn.nat, tn.chan, tn.world
    d = tn.coef.dictators_dilemma
    ai = nat[N.AI]
    ai_ctrl = ai / (ai + d.ai_half)
    censorship = chan[CH["censorship"]]
    repression = d.repression_surveillance * nat[N.SURVEILLANCE] + d.repression_censorship * censorship
    gap = np.clip(d.blur * repression * (1 - d.ai_clarity * ai_ctrl), 0, 1)
    tn.set(N.INFORMATION_GAP, "repression blurs the regime's view", gap)
    # technology first weakens control (citizens coordinate online), then strengthens it
    tn.control = d.control * nat[N.SURVEILLANCE] * ai_ctrl + d.censorship_control * d.control * censorship
    tn.coordination = d.coordination * nat[N.COVERAGE] * (1 - ai_ctrl) * (1 - censorship)
    tn.ai_control = ai_ctrl

    q = tn.coef.data_quality
    pl = tn.coef.planning
    share = np.clip(tn.mods[MOD["planning_share"]], 0.0, pl.max_share)
    tn.set(N.PLANNING_SHARE, "planning policy", share)
    congress = tn.const.congress_year[min(tn.t + 1, len(w.congress_year) - 1)]
    pressure = share + tn.coef.politics.congress_pressure * congress.astype(share.dtype)
    target = (q.ceiling - q.target_pressure * pressure - q.repression_distortion * repression
              + q.ai_correction * ai_ctrl * (1 - repression))
    quality = nat[N.DATA_QUALITY]
    tn.add(N.DATA_QUALITY, "targets, repression and AI checks", q.adjust * (np.clip(target, 0, 1) - quality))

    responsive = np.where(tn.const.elections, 1 - pl.polarisation_deafness * nat[N.POLARISATION], 1 - gap)
    error = pl.base_error * np.exp(-(pl.w_coverage * nat[N.COVERAGE]
                                     + pl.w_quality * nat[N.DATA_QUALITY]
                                     + pl.w_ai * ai_ctrl + pl.w_responsiveness * responsive))
    e_plan = 1 - pl.lambda_ * error
    e_market = 1 - pl.oligopoly_drag * np.maximum(0.0, nat[N.CONCENTRATION] - pl.oligopoly_threshold)
    floor = tn.coef.production.min_efficiency
    market_part = (1 - share) * e_market
    plan_part = share * e_plan
    new = np.clip(market_part + plan_part, floor, 1.0)
    # efficiency is derived: the report shows what its value is made of
    tn.cause(N.EFFICIENCY, "markets (less oligopoly drag)", market_part)
    tn.cause(N.EFFICIENCY, "planning (less information error)", plan_part)
    tn.cause(N.EFFICIENCY, "efficiency floor", new - market_part - plan_part)
    nat[N.EFFICIENCY] = new
