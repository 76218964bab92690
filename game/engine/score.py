"""Game end, scores and the historians' verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.kernels import power_any, power_mean
from game.engine.state import GameState
from game.engine.world import N, World

COMPONENTS = ("productivity", "stability", "adoption", "standards")
OUTCOMES = ("win", "draw", "collapse", "global_crisis")


def check_end(world: World, nat: NDArray[Any], collapsed: NDArray[np.bool_],
              crisis_turns: NDArray[np.int64], turn: int,
              over: NDArray[np.bool_]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """A game ends after the last year, on any regime collapse, or after a lasting global crisis
    (world stability and growth both below the victory file's thresholds for N turns)."""
    v = world.scenario.rules.victory
    in_crisis = ((power_mean(nat[N.STABILITY]) < v.crisis_stability_below)
                 & (power_mean(nat[N.GROWTH]) < v.crisis_growth_below))
    crisis_turns = np.where(over, crisis_turns, np.where(in_crisis, crisis_turns + 1, 0))
    ended = over | power_any(collapsed) | (crisis_turns >= v.crisis_turns) | (turn >= world.n_turns)
    return ended, crisis_turns


def lean_text(adoption: float) -> str:
    """How the swing regions leaned to a model, worded by the share as shown (a verdict that said
    "won fewer hearts (57% leaned to it)" was false): a majority, half, or short of a majority."""
    shown = round(100 * adoption)
    if shown > 50:
        return f"a majority of the swing regions' weight ({shown}%) leaned to its model"
    if shown == 50:
        return "half of the swing regions' weight (50%) leaned to its model"
    return f"{shown}% of the swing regions' weight leaned to its model, short of a majority"


@dataclass(frozen=True)
class Outcome:
    """Final result of every game in a batch."""

    scores: NDArray[np.float64]  # (B, P) 0-100
    components: NDArray[np.float64]  # (B, P, 4) each 0-1
    winner: NDArray[np.int64]  # (B,) power index, -1 when nobody wins
    kind: NDArray[np.int64]  # (B,) index into OUTCOMES
    victory_type: NDArray[np.int64]  # (B,) index into COMPONENTS of the decisive margin, -1

    def verdict(self, world: World, game: int = 0) -> str:
        """The historians' verdict for one game, from the victory file's texts."""
        kind = OUTCOMES[int(self.kind[game])]
        win = int(self.winner[game])
        doctrine = world.doctrine_of[win] if win >= 0 else None
        victory = COMPONENTS[int(self.victory_type[game])] if self.victory_type[game] >= 0 else None
        texts = world.scenario.rules.victory.verdicts
        # the most specific text wins: outcome, doctrine and decisive component; then without the
        # component; then the outcome alone, so the verdict never claims what the game did not show
        chosen = next((v for rank in ((doctrine, victory), (doctrine, None), (None, None)) for v in texts
                       if v.outcome == kind and (v.doctrine, v.victory) == rank), None)
        collapsed = [world.power_names[p] for p in range(world.n_powers) if self.scores[game, p] <= 0]
        text = chosen.text if chosen else kind
        lead = max(win, 0)
        adoption = float(self.components[game, lead, COMPONENTS.index("adoption")])
        return text.format(
            winner=world.power_names[win] if win >= 0 else "nobody",
            margin=self.margin(game),
            collapsed=", ".join(collapsed) or "none",
            victory=victory or "",
            adoption=adoption,
            standards=float(self.components[game, lead, COMPONENTS.index("standards")]),
            lean=lean_text(adoption),
        )

    def margin(self, game: int = 0) -> float:
        s = np.sort(self.scores[game])[::-1]
        return float(s[0] - s[1]) if s.size > 1 else float(s[0])


def per_capita_growth(state: GameState) -> NDArray[np.floating[Any]]:
    """(B, P) yearly growth of output per head since the start: what productivity scores."""
    years = max(state.turn, 1)
    start_pc = np.array([p.gdp / p.population * 1e3 for p in state.world.scenario.spec.powers])
    growth: NDArray[np.floating[Any]] = (state.nat[N.GDP_PER_CAPITA] / start_pc) ** (1 / years) - 1
    return growth


def per_capita_par(world: World) -> NDArray[np.floating[Any]]:
    """(P,) the per-head growth that scores productivity at par: par growth less labour growth."""
    par: NDArray[np.floating[Any]] = world.score_par_growth - world.labour_growth
    return par


def _scored(state: GameState) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(B, P, components) score components, their weights and (B, P) scores."""
    # par imports the turn engine, which imports this module: looked up here, when scoring
    from game.engine.par import par_stability

    w = state.world
    nat = state.nat
    pc_growth = per_capita_growth(state)
    par_pc = per_capita_par(w)
    sc = w.coef.score
    comps = np.stack([
        np.clip(sc.productivity_at_par + sc.productivity_slope * (pc_growth - par_pc), 0, 1),
        np.clip(0.5 + sc.stability_slope * (state.stability_mean - par_stability(w, state.turn)), 0, 1),
        nat[N.MODEL_ADOPTION],
        nat[N.STANDARDS_SHARE],
    ], axis=2)
    weights = np.array([w.score_weights.get(c, 0.0) for c in COMPONENTS])
    weights = weights / max(weights.sum(), 1e-9)
    scores = 100 * comps @ weights
    return comps, weights, np.where(state.collapsed, 0.0, scores)


def scores(state: GameState) -> NDArray[np.float64]:
    """(B, P) every power's score, as `outcome` reckons it (what a search compares, without the
    verdicts it does not read)."""
    return _scored(state)[2]


def outcome(state: GameState) -> Outcome:
    """Score every game: productivity against the power's score par growth, mean stability against its
    par stability (`game.engine.par`), the share of swing regions leaning to its model, and its
    standards share, weighted by the scenario."""
    w = state.world
    comps, weights, scores = _scored(state)
    v = w.scenario.rules.victory
    ranked = np.argsort(-scores, axis=1)
    best, second = ranked[:, 0], ranked[:, 1]
    rows = np.arange(state.batch)
    margin = scores[rows, best] - scores[rows, second]
    crisis = state.crisis_turns >= v.crisis_turns
    collapse_ = state.collapsed.any(axis=1)
    draw = (margin < v.draw_margin) & ~collapse_
    kind = np.where(crisis, 3, np.where(collapse_, 2, np.where(draw, 1, 0)))
    winner = np.where((kind == 0) | (kind == 2), best, -1)
    edge = (comps[rows, best] - comps[rows, second]) * weights
    victory_type = np.where(kind == 0, edge.argmax(axis=1), -1)
    return Outcome(scores=scores, components=comps, winner=winner.astype(np.int64),
                   kind=kind.astype(np.int64), victory_type=victory_type.astype(np.int64))
