"""Situations: switched on above one threshold of an indicator and off below a lower one
(hysteresis), with effects every turn while they last."""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine.turn import Turn, mechanic
from game.engine.world import World


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
    for s, cause, effects in _effects(w):
        if not now[s].any():
            continue
        for col, effect in effects:
            tn.add(col, cause, now[s] * effect)
    tn.situation = np.ascontiguousarray(now.transpose(1, 2, 0))


def _effects(w: World) -> list[tuple[int, str, list[tuple[int, Any]]]]:
    """Each situation with effects: its index, the cause the report names and its (indicator,
    effect) pairs, the effects as the table's own numbers (read once per World)."""
    if "situation effects" not in w.memo:
        w.memo["situation effects"] = [
            (s, f"situation: {sit.name}", [(int(col), w.situation_effect[s][col])
                                           for col in np.flatnonzero(w.situation_effect[s])])
            for s, sit in enumerate(w.scenario.rules.situations) if np.any(w.situation_effect[s])]
    effects: list[tuple[int, str, list[tuple[int, Any]]]] = w.memo["situation effects"]
    return effects
