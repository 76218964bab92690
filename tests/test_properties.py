"""Property tests: any legal orders keep every indicator finite and inside its declared bounds,
orders round-trip through JSON, and illegal orders are refused with a reason."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import (
    BatchOrders,
    IllegalOrders,
    MalformedOrders,
    OrderError,
    Orders,
    build_world,
    check_orders,
    new_game,
    resolve,
)
from game.rules.loader import load_scenario

WORLD = build_world(load_scenario("transatlantic-2017"))


@st.composite
def batch_orders(draw: st.DrawFn, state):  # type: ignore[no-untyped-def]
    w = state.world
    orders = BatchOrders.hold(state)
    B, P, L = orders.budget.shape
    raw = np.array(draw(st.lists(st.floats(0, 1), min_size=B * P * L, max_size=B * P * L)))
    budget = raw.reshape(B, P, L) * w.lever_open[None]
    total = budget.sum(axis=2, keepdims=True)
    orders.budget[:] = np.where(total > 1, budget / np.maximum(total, 1e-9), budget)
    for q in range(len(w.policy_ids)):
        orders.policy[:, :, q] = draw(st.integers(0, int(w.option_count[q]) - 1))
    orders.answer[:] = draw(st.integers(-1, 2))
    orders.propose[:] = draw(st.booleans())
    orders.accept[:] = draw(st.booleans())
    return orders


@settings(max_examples=25, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_legal_orders_keep_indicators_finite_and_bounded(data: st.DataObject, seed: int) -> None:
    state = new_game(WORLD, 2)
    rng = np.random.default_rng(seed)
    for _ in range(4):
        state, _ = resolve(state, data.draw(batch_orders(state)), rng)
        nation = state.nation
        assert np.isfinite(nation).all()
        assert (nation >= WORLD.lo - 1e-5).all() and (nation <= WORLD.hi + 1e-5).all()
        assert np.isfinite(state.region).all()
        assert np.allclose(state.alignment.sum(axis=2), 1.0, atol=1e-4)
        assert (state.adoption.sum(axis=2) <= 1.0 + 1e-4).all()


@settings(max_examples=50, deadline=None)
@given(
    shares=st.dictionaries(st.sampled_from(WORLD.lever_ids), st.floats(0, 0.1), max_size=6),
    policies=st.dictionaries(st.sampled_from(WORLD.policy_ids), st.integers(0, 4), max_size=3),
)
def test_orders_round_trip_through_json(shares: dict[str, float], policies: dict[str, int]) -> None:
    chosen = {p: WORLD.option_ids[WORLD.policy_ids.index(p)][i % len(WORLD.option_ids[WORLD.policy_ids.index(p)])]
              for p, i in policies.items()}
    orders = Orders(power="usa", budget=shares, policies=chosen, propose=(("tech_truce", "china"),))
    again = Orders.loads(orders.dumps())
    assert again == Orders.from_json(orders.to_json())
    assert again.to_json() == orders.to_json()


@pytest.mark.parametrize(("orders", "message"), [
    (Orders("usa", budget={"social_credit": 0.2}), "The Social credit lever is not open to Liberal democracy."),
    (Orders("usa", budget={"antitrust": 0.7, "ai_research": 0.6}),
     "Your budget shares add up to 130%; together they may be at most 100%."),
    (Orders("china", answers={"pandemic": "lockdown"}), "The dilemma 'Pandemic' is not waiting for your answer."),
    (Orders("usa", accept=(("common_standard", "eu"),)), "European Union has not offered you the Common transatlantic standard."),
    (Orders("china", propose=(("common_standard", "usa"),)), "The Common transatlantic standard is not open to both you and USA."),
])
def test_illegal_orders_tell_the_player_why(orders: Orders, message: str) -> None:
    """Well-formed orders the rules do not allow now: the player's choice, told in their words."""
    state = new_game(WORLD, 1)
    with pytest.raises(IllegalOrders) as caught:
        check_orders(WORLD, state, orders)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("orders", "message"), [
    (Orders("china", policies={"planning_share": "soviet"}), "power 'china': order 'policies.planning_share': no option 'soviet'"),
    (Orders("narnia"), "power 'narnia': order 'power': no such power"),
    (Orders("usa", budget={"moonshots": 0.2}), "power 'usa': order 'budget.moonshots': no such lever"),
    (Orders("usa", budget={"antitrust": 1.5}), "power 'usa': order 'budget.antitrust': share 1.5 must be between 0 and 1"),
    (Orders("china", answers={"pandemic": "pray"}), "power 'china': order 'answers.pandemic': no choice 'pray'"),
])
def test_malformed_orders_say_which_power_which_order_and_why(orders: Orders, message: str) -> None:
    """Orders naming what does not exist: the client's fault, located for whoever wrote it."""
    state = new_game(WORLD, 1)
    with pytest.raises(MalformedOrders) as caught:
        check_orders(WORLD, state, orders)
    assert str(caught.value).startswith(message)


def test_policy_changes_beyond_political_capital_are_refused() -> None:
    state = new_game(WORLD, 1)
    wish = {"planning_share": "cybernetic", "data_governance": "strict", "credit_stance": "tight",
            "foreign_tech_access": "open", "tech_export_controls": "broad", "acquisition_screening": "open"}
    with pytest.raises(OrderError, match="political capital"):
        check_orders(WORLD, state, Orders("china", policies=wish))


@pytest.mark.parametrize("text", ["", "[]", "{\"power\": 3}", "{\"power\": \"usa\", \"budget\": {\"x\": \"lots\"}}",
                                  "{\"power\": \"usa\", \"bribe\": 1}", "not json"])
def test_malformed_orders_json_is_refused(text: str) -> None:
    with pytest.raises(MalformedOrders):
        Orders.loads(text)


@settings(max_examples=50, deadline=None)
@given(powers=st.integers(1, 4), games=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_sums_over_powers_give_numpys_numbers(powers: int, games: int, seed: int) -> None:
    """The engine sums over a game's powers column by column for speed; a replay from the same
    seed stays the same game only if those sums are exactly numpy's."""
    from game.engine.kernels import power_any, power_max, power_mean, power_sum

    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((games, powers)) * 10.0 ** rng.integers(-4, 4, (games, powers))).astype(np.float32)
    assert np.array_equal(power_sum(x), x.sum(axis=1))
    assert np.array_equal(power_mean(x), x.mean(axis=1))
    assert np.array_equal(power_max(x), x.max(axis=1))
    assert np.array_equal(power_any(x > 0), (x > 0).any(axis=1))
