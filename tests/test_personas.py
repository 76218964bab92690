"""AI players give the same orders people give, adapt to the doctrine they meet, and differ."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai.personas import PERSONAS, decide
from game.engine import build_world, check_orders, encode, new_game, resolve
from game.rules.loader import load_scenario

WORLD = build_world(load_scenario("transatlantic-2017"))


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_persona_orders_are_legal_orders_for_every_power(name: str) -> None:
    rng = np.random.default_rng(1)
    state = new_game(WORLD, 1)
    for _ in range(8):
        orders = []
        for power in WORLD.power_ids:
            o = decide(state, power, name, rng)
            check_orders(WORLD, state, o)  # raises if a person could not have given these orders
            assert o.power == power
            assert sum(o.budget.values()) <= 1.0 + 1e-6
            pending = state.pending[0, WORLD.power_index(power)]
            if pending >= 0 and name != "status_quo":
                assert WORLD.event_ids[pending] in o.answers
            orders.append(o)
        state, _ = resolve(state, encode(state, orders), rng)


def test_a_surveillance_hawk_governing_a_democracy_buys_security_not_social_credit() -> None:
    rng = np.random.default_rng(0)
    state = new_game(WORLD, 1)
    usa = decide(state, "usa", "surveillance_hawk", rng)
    china = decide(state, "china", "surveillance_hawk", rng)
    assert "social_credit" not in usa.budget
    # after its infrastructure abroad ('safe cities' for the party-state, trusted networks for a
    # democracy), security is what the democratic hawk buys most
    ranked = sorted(usa.budget, key=lambda k: -usa.budget[k])
    assert ranked[:2] == ["infrastructure_export", "cyber_and_election_security"]
    assert china.budget["social_credit"] > 0.2


def test_personas_pursue_different_strategies() -> None:
    rng = np.random.default_rng(0)
    state = new_game(WORLD, 1)
    top = {}
    for name in ("planner", "techno_nationalist", "surveillance_hawk", "free_marketeer", "standards_diplomat"):
        o = decide(state, "china", name, rng)
        top[name] = max(o.budget, key=lambda k: o.budget[k])
    assert len(set(top.values())) >= 4, top
    assert top["standards_diplomat"] in ("standards_diplomacy", "infrastructure_export")
    assert top["techno_nationalist"] == "infant_industries"


def test_the_techno_nationalist_refuses_foreign_bids_and_the_free_marketeer_sells() -> None:
    event = WORLD.event_ids.index("foreign_bid")
    state = new_game(WORLD, 1)
    pending = state.pending.copy()
    pending[0, WORLD.power_index("usa")] = event
    state = state.copy_with(pending=pending)
    rng = np.random.default_rng(0)
    assert decide(state, "usa", "techno_nationalist", rng).answers["foreign_bid"] != "accept"
    assert decide(state, "usa", "free_marketeer", rng).answers["foreign_bid"] == "accept"
