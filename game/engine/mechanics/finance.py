"""Finance: credit builds a bubble; good real-time data lets a planner deflate it (the seed's
"fine-tuned and swift" claim); past a threshold it may crash, destroying capital and trust."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.turn import Turn, mechanic
from game.engine.world import MOD, N
from game.rules.contract import Finance

F = NDArray[np.floating[Any]]


def crash_risk(bubble: F, fi: Finance) -> F:
    """The yearly chance of a crash: logistic in the bubble around `crash_threshold` with
    `crash_slope`, nil below `crash_floor`. The dashboard shows the same."""
    risk = 1 / (1 + np.exp(-(bubble - fi.crash_threshold) / fi.crash_slope))
    return risk * (bubble > fi.crash_floor)


@mechanic("finance",
          reads=("mods", "bubble", "planning_share", "data_quality", "ai_control"),
          writes=("bubble", "crash", "credit_level"))
def finance(tn: Turn) -> None:
    fi = tn.coef.finance
    nat = tn.nat
    credit = tn.mods[MOD["credit_growth"]]
    bubble = nat[N.BUBBLE].copy()
    tn.add(N.BUBBLE, "credit expansion", fi.bubble_build * credit)
    deflate = (fi.deflate_plan * nat[N.PLANNING_SHARE] * nat[N.DATA_QUALITY]
               * tn.ai_control + fi.deflate_market) * bubble
    tn.add(N.BUBBLE, "macro-prudential deflation", -deflate)
    np.clip(nat[N.BUBBLE], 0, 1, out=nat[N.BUBBLE])
    risk = crash_risk(nat[N.BUBBLE], fi)
    crash = (tn.luck.crash < risk) & tn.alive
    tn.crash = crash
    pop = np.where(crash, -fi.crash_pop * nat[N.BUBBLE], 0.0)
    tn.add(N.BUBBLE, "crash", pop)
    tn.credit_level = 1 + fi.credit_boost * credit


def crash_discredits(tn: Turn, column: int) -> None:
    """A crash refutes the competence a government claimed (for the party-state, the planners'
    promise to deflate bubbles in time): belief in it drops at once and recovers with habit
    (`finance.crash_trust` points; Guriev & Treisman; Mueller)."""
    if tn.crash.any():
        tn.add(column, "financial crash", -tn.coef.finance.crash_trust * tn.crash.astype(tn.nat.dtype))
