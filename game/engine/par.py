"""Par: what each power would score holding its start-year course, which the score measures against.

Productivity is scored against a power's par growth, a number in its scenario (the balance lab
tunes it). Stability is scored against its par stability: the mean stability of the power over
the same years of a game in which every power holds its start-year budget and policies. A
party-state opens more stable than a polarised democracy (and an economy slowing below what its
people expect drifts down from there); measured against its own course, each power scores for the
order it kept or lost by its choices and its luck, not for the country it was dealt. The course is
played out once per World, on fixed luck, and remembered year by year, so that standings in the
middle of a game (and a game cut short) compare like with like."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.world import World

PAR_GAMES = 32  # games on fixed luck the par is averaged over
PAR_SEED = 20170101
MEMO = "par stability"


def par_stability_path(world: World) -> NDArray[np.float64]:
    """(years + 1, P): row t is each power's mean stability over the first t years (row 0 the
    opening) of a game everyone plays on its start-year course."""
    if MEMO not in world.memo:
        # the turn engine scores games with this module, so it is imported where it is used
        from game.engine.luck import Luck
        from game.engine.resolve import new_game, resolve, status_quo_orders

        rng = np.random.default_rng(PAR_SEED)
        state = new_game(world, PAR_GAMES)
        path = [state.stability_mean.astype(np.float64).mean(axis=0)]
        while not state.finished:
            luck = Luck.draw(rng, PAR_GAMES, world.n_powers, world.n_regions)
            state, _ = resolve(state, status_quo_orders(state), luck=luck, explain=False)
            path.append(state.stability_mean.astype(np.float64).mean(axis=0))
        world.memo[MEMO] = np.array(path)
    value: NDArray[np.float64] = world.memo[MEMO]
    return value


def par_stability(world: World, years: int | None = None) -> NDArray[np.float64]:
    """(P,) each power's par stability over the first `years` years (default: the whole game)."""
    path = par_stability_path(world)
    row = path.shape[0] - 1 if years is None else min(max(years, 0), path.shape[0] - 1)
    return np.asarray(path[row])
