"""The rules of play: what a power may order now, what a policy change costs, the opening budget
and how a budget is normalised. One place answers these questions for every player, so the
desktop, the classroom, the personas, the search, the RL environments and `resolve` agree.

The budget rule: a power splits its discretionary budget over the levers open to its doctrine,
each share between 0 and 1, the shares together **at most 100%** (what is not spent is not spent;
the scenario files obey the same rule). Orders that break it are illegal and refused with the
reason; an editor keeps the player inside it as they type (`budget_room`). The engine reads any
batch of shares with `normalise_budget`, which leaves a legal budget as it is and only absorbs
rounding (a split of thirds may total 1.0000001) and the junk a batch array can hold (NaN,
negative shares, closed levers, totals above 1 scaled down in proportion).

Legality as masks, as OpenSpiel's `legal_actions_mask`: `legal_orders` gives, for one power in
one game, which levers, policy options, dilemma answers and agreement moves it may choose now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from game.engine.world import N, World

if TYPE_CHECKING:  # the state's opening is built from the opening budget here
    from game.engine.state import GameState

# Shares typed as whole percentages, or a split into thirds, may total a hair above 1: still legal.
BUDGET_SLACK = 1e-4
# Political capital is single precision in the engine; a change costing exactly what is in hand
# stays affordable after rounding.
CAPITAL_SLACK = 1e-6


# ------------------------------------------------------------------ policy changes
def change_prices(world: World) -> NDArray[np.float64]:
    """(Q,) political capital one change of each policy costs."""
    return np.asarray(world.change_cost * _scale(world), dtype=np.float64)


def change_price(world: World, policy: str) -> float:
    """Political capital a change of this one policy costs."""
    return float(change_prices(world)[world.policy_ids.index(policy)])


def policy_change_costs(world: World, current: NDArray[np.integer[Any]],
                        requested: NDArray[np.integer[Any]]) -> NDArray[np.floating[Any]]:
    """Political capital of the requested policy options against the current ones, batched:
    `current` and `requested` are (..., P, Q) option indices; the cost is (..., P). Only
    policies open to a power's doctrine count (a closed policy cannot change)."""
    changed = (requested != current) & world.policy_open
    return np.asarray((changed @ world.change_cost) * _scale(world))


def policy_change_cost(world: World, state: GameState, power: str, policies: Mapping[str, str],
                       game: int = 0) -> float:
    """Political capital these policy choices (policy -> option) would cost one power now.
    Unknown policies and options are the caller's to refuse first (`check_orders` does)."""
    p = world.power_index(power)
    current = state.policy[game, p]
    requested = current.copy()
    for pol, option in policies.items():
        q = world.policy_ids.index(pol)
        requested[q] = world.option_ids[q].index(option)
    changed = (requested != current) & world.policy_open[p]
    return float((changed @ world.change_cost) * _scale(world))


def affordable(cost: Any, capital: Any) -> Any:
    """Whether changes costing `cost` fit the political capital in hand (scalars or arrays)."""
    return cost <= capital + CAPITAL_SLACK


def capital(state: GameState, power: int, game: int = 0) -> float:
    """Political capital a power has in hand now."""
    return float(state.nation[game, power, N.POLITICAL_CAPITAL])


def _scale(world: World) -> float:
    return float(world.coef.politics.policy_change_scale)


# ------------------------------------------------------------------ budgets
def opening_budgets(world: World) -> NDArray[np.float64]:
    """(P, L) each power's opening budget split: its scenario's start-year shares."""
    key = "opening budgets"
    if key not in world.memo:
        table = np.zeros((world.n_powers, len(world.lever_ids)))
        for p, setup in enumerate(world.scenario.spec.powers):
            for lever, share in setup.budget.items():
                table[p, world.lever_ids.index(lever)] = share
        table.setflags(write=False)
        world.memo[key] = table
    opening: NDArray[np.float64] = world.memo[key]
    return opening


def opening_budget(world: World, power: str) -> dict[str, float]:
    """One power's opening budget split, lever -> share (levers it funds and may fund)."""
    p = world.power_index(power)
    row = opening_budgets(world)[p]
    return {lv: float(row[i]) for i, lv in enumerate(world.lever_ids) if row[i] > 0 and world.lever_open[p, i]}


def budget_total(budget: Mapping[str, float]) -> float:
    return float(sum(budget.values()))


def budget_fits(total: float) -> bool:
    """The budget rule: shares together at most 100% (with rounding slack)."""
    return total <= 1.0 + BUDGET_SLACK


def budget_room(budget: Mapping[str, float], lever: str) -> float:
    """The largest share `lever` can take while the budget still fits: what an editor caps at."""
    return max(0.0, 1.0 - (budget_total(budget) - budget.get(lever, 0.0)))


def normalise_budget(world: World, shares: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
    """Read a batch of shares the way the engine spends them. `shares` is lever-major (L, B, P)
    and is cleaned in place: NaN and negative shares count as nothing, no share above 1, closed
    levers get nothing. Returns the (B, P) factor that scales a total above 1 down to 1 (1 for
    every legal budget)."""
    np.fmax(shares, 0.0, out=shares)  # fmax turns NaN into 0
    np.minimum(shares, 1.0, out=shares)
    for lever, power in world.lever_closed:  # a row each: cheaper than broadcasting the (L, P) mask
        shares[lever, :, power] = 0.0
    total = shares.sum(axis=0)
    return np.where(total > 1.0, 1.0 / np.maximum(total, 1e-12), 1.0)


# ------------------------------------------------------------------ legal orders
def lever_mask(world: World, power: int) -> NDArray[np.bool_]:
    """(L,) the levers open to a power's doctrine."""
    return world.lever_open[power]


@dataclass(frozen=True)
class LegalOrders:
    """What one power may order now, as masks (OpenSpiel's `legal_actions_mask`). A power whose
    regime has collapsed, or whose game is over, may order nothing."""

    levers: NDArray[np.bool_]  # (L,) levers it may fund
    options: NDArray[np.bool_]  # (Q, O) policy options it may choose (the current one, or an affordable change)
    current: NDArray[np.int64]  # (Q,) the option in force
    answers: NDArray[np.bool_]  # (K,) choices of its pending dilemma (all False if none)
    propose: NDArray[np.bool_]  # (A, P) agreement a it may offer power q
    accept: NDArray[np.bool_]  # (A, P) offers it may take
    withdraw: NDArray[np.bool_]  # (A, P) signed agreements it may leave


def legal_orders(world: World, state: GameState, power: int, game: int = 0) -> LegalOrders:
    """Masks of everything `power` (an index) may order in game `game` now. A policy change is
    legal alone when its price fits the capital in hand; several changes must fit together
    (`policy_change_cost`)."""
    P, A, L = world.n_powers, len(world.agreement_ids), len(world.lever_ids)
    Q, O = len(world.policy_ids), int(world.option_count.max()) if len(world.policy_ids) else 0
    K = int(world.choice_count.max()) if len(world.event_ids) else 0
    current = state.policy[game, power].astype(np.int64)
    none = LegalOrders(levers=np.zeros(L, bool), options=np.zeros((Q, O), bool), current=current,
                       answers=np.zeros(K, bool), propose=np.zeros((A, P), bool),
                       accept=np.zeros((A, P), bool), withdraw=np.zeros((A, P), bool))
    if state.collapsed[game, power] or state.over[game]:
        return none
    exists = np.arange(O)[None, :] < world.option_count[:, None]
    fits = affordable(change_prices(world), capital(state, power, game))
    is_current = np.arange(O)[None, :] == current[:, None]
    options = exists & world.policy_open[power][:, None] & (is_current | fits[:, None])
    answers = np.zeros(K, bool)
    pending = int(state.pending[game, power])
    if pending >= 0:
        answers[: int(world.choice_count[pending])] = True
    both = world.agreement_open[power][:, None] & world.agreement_open.T  # (A, P) open to both doctrines
    both[:, power] = False
    return LegalOrders(levers=lever_mask(world, power).copy(), options=options, current=current,
                       answers=answers, propose=both, accept=both & state.proposal[game, :, :, power],
                       withdraw=both.copy())
