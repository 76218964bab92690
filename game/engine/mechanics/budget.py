"""Budget and policies: the orders take effect. Policy changes are paid in political capital (a
change the power cannot afford is refused); budget shares add to each lever's stock, and the
stocks buy channel levels with diminishing returns."""

from __future__ import annotations

import numpy as np

from game.engine import rules_of_play
from game.engine.state import channels, modifiers
from game.engine.turn import Turn, mechanic
from game.engine.world import N


@mechanic("budget and policies",
          reads=("orders", "policy", "collapsed", "political_capital", "lever_stock"),
          writes=("policy", "mods", "lever_stock", "chan", "refused", "political_capital"))
def budget_and_policies(tn: Turn) -> None:
    """Apply budgets and policy changes; record which powers' policy changes were refused."""
    state, orders = tn.state, tn.orders
    w = state.world
    alive = tn.alive & ~state.collapsed
    # the requests of running powers (a finished game or a fallen regime keeps its policies)
    asks = orders.policy != state.policy
    if not alive.all():
        asks &= alive[:, :, None]
    refused = np.zeros(alive.shape, dtype=bool)
    # most turns of most games change no policy: skip the bookkeeping
    if asks.any() and (asks & w.policy_open).any():
        # worked on the games whose orders differ from their policies (a game that asks for
        # its own policies pays nothing and keeps them), usually a few of the batch
        games = np.flatnonzero(asks) // asks[0].size  # in order: each game once
        games = games[np.concatenate(([True], games[1:] != games[:-1]))]
        current = state.policy[games]
        requested = np.where(alive[games][:, :, None], orders.policy[games], current)
        asked = np.minimum(np.maximum(requested, 0), w.option_count - 1)
        changed = (asked != current) & w.policy_open
        cost = rules_of_play.policy_change_costs(w, current, asked)
        affordable = rules_of_play.affordable(cost, tn.nat[N.POLITICAL_CAPITAL][games])
        tn.policy = state.policy.copy()
        tn.policy[games] = np.where(affordable[:, :, None], asked, current)
        paid = np.where(affordable, cost, np.float32(0))
        price = np.zeros(alive.shape, dtype=paid.dtype)
        price[games] = paid
        tn.add(N.POLITICAL_CAPITAL, "policy changes", -price)
        refused[games] = ~affordable & changed.any(axis=2)
    tn.mods = modifiers(w, tn.policy)
    # budget shares, lever-major: cast and laid out in one pass (a cast and then a transposed
    # copy took five times as long)
    shares = np.empty(orders.budget.shape[2:] + orders.budget.shape[:2], dtype=tn.nat.dtype)
    np.copyto(shares, orders.budget.transpose(2, 0, 1), casting="same_kind")
    scale = rules_of_play.normalise_budget(w, shares) * alive * tn.const.budget_points
    shares *= scale
    stock = w.lever_retention * tn.lever_stock
    stock += shares
    tn.lever_stock = stock
    tn.chan = channels(w, stock)
    tn.refused = refused
