"""Situations: switched on above one threshold of an indicator and off below a lower one
(hysteresis), with effects every turn while they last."""

from __future__ import annotations

import numpy as np

from game.engine.turn import Turn, mechanic


@mechanic("situations",
          reads=("situation", "indicators situations watch"),
          writes=("situation", "indicators situations touch"))
def situations(tn: Turn) -> None:
    w = tn.world
    value = tn.nat[w.situation_indicator]  # (S, B, P)
    on = value > w.situation_on[:, None, None]
    off = value < w.situation_off[:, None, None]
    was = np.ascontiguousarray(tn.situation.transpose(2, 0, 1))
    now = np.where(was, ~off, on)
    now &= tn.const.situation_open  # (S, B, P): a broadcast (S, 1, P) mask runs P elements at a time
    now &= tn.alive
    for s, sit in enumerate(w.scenario.rules.situations):
        effect = w.situation_effect[s]
        if not np.any(effect) or not now[s].any():
            continue
        for col in np.flatnonzero(effect):
            tn.add(int(col), f"situation: {sit.name}", now[s] * effect[col])
    tn.situation = np.ascontiguousarray(now.transpose(1, 2, 0))
