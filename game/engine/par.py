"""Par: what each power would score holding its start-year course, which the score measures against.

Productivity is scored against a power's par growth, a number in its scenario (the balance lab
tunes it). Stability is scored against its par stability: the mean stability of the power over a
game in which every power holds its start-year budget and policies. A party-state opens more
stable than a polarised democracy (and an ageing one drifts down from there); measured against
its own course, each power scores for the order it kept or lost by its choices and its luck, not
for the country it was dealt. It is played out once per World, on fixed luck, and remembered."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.world import World

PAR_GAMES = 32  # games on fixed luck the par is averaged over
PAR_SEED = 20170101
MEMO = "par stability"


def par_stability(world: World) -> NDArray[np.float64]:
    """(P,) each power's mean stability over a game everyone plays on its start-year course."""
    if MEMO not in world.memo:
        # the turn engine scores games with this module, so it is imported where it is used
        from game.engine.luck import Luck
        from game.engine.resolve import new_game, resolve, status_quo_orders

        rng = np.random.default_rng(PAR_SEED)
        state = new_game(world, PAR_GAMES)
        while not state.finished:
            luck = Luck.draw(rng, PAR_GAMES, world.n_powers, world.n_regions)
            state, _ = resolve(state, status_quo_orders(state), luck=luck, explain=False)
        world.memo[MEMO] = state.stability_mean.astype(np.float64).mean(axis=0)
    value: NDArray[np.float64] = world.memo[MEMO]
    return value
