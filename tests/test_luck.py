"""Luck as an input to the turn: copies of a game on the game axis meet the same year."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai.personas import decide_batch, persona
from game.engine import BatchOrders, build_world, new_game, resolve
from game.engine.luck import Luck
from game.rules.loader import load_scenario


@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    return build_world(load_scenario("transatlantic-2017"))


def _orders(state, seed: int) -> BatchOrders:  # type: ignore[no-untyped-def]
    orders = BatchOrders.hold(state)
    rng = np.random.default_rng(seed)
    for p, who in enumerate(["planner", "free_marketeer", "random"][: state.world.n_powers]):
        decide_batch(state, p, persona(who), rng, orders)
    return orders


def test_a_generator_and_the_luck_it_draws_play_the_same_year(world) -> None:  # type: ignore[no-untyped-def]
    state = new_game(world, 6)
    orders = _orders(state, 1)
    by_rng, _ = resolve(state, orders, np.random.default_rng(5))
    luck = Luck.draw(np.random.default_rng(5), 6, world.n_powers, world.n_regions)
    by_luck, _ = resolve(state, orders, luck=luck)
    for name, a in by_rng.arrays().items():
        np.testing.assert_array_equal(a, by_luck.arrays()[name], err_msg=name)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), copies=st.integers(2, 5), batch=st.integers(1, 4))
def test_copies_of_a_game_meet_the_same_luck_to_the_end(world, seed: int, copies: int, batch: int) -> None:  # type: ignore[no-untyped-def]
    """K copies of each game, stacked on the game axis, stay identical year after year: every
    crash, shock, election and dilemma lands on every copy (what the search's common random
    numbers need), and each copy plays exactly the game played alone."""
    rng = np.random.default_rng(seed)
    alone = new_game(world, batch)
    stacked = new_game(world, batch * copies)
    while not alone.finished:
        luck = Luck.draw(rng, batch, world.n_powers, world.n_regions)
        orders = _orders(alone, seed + alone.turn)
        alone, _ = resolve(alone, orders, luck=luck, explain=False)
        rows = np.tile(np.arange(batch), copies)
        big = BatchOrders(**{k: v[rows] for k, v in vars(orders).items()})
        stacked, _ = resolve(stacked, big, luck=luck.repeat(copies), explain=False)
        np.testing.assert_array_equal(stacked.nation, alone.nation[rows])
        np.testing.assert_array_equal(stacked.pending, alone.pending[rows])
    assert stacked.finished


def test_luck_for_the_wrong_batch_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    state = new_game(world, 3)
    luck = Luck.draw(np.random.default_rng(0), 2, world.n_powers, world.n_regions)
    with pytest.raises(ValueError, match="luck for 2 games given to a batch of 3"):
        resolve(state, BatchOrders.hold(state), luck=luck)


@pytest.mark.parametrize("scenario", ["digital-leninism-2017", "transatlantic-2017"])
def test_a_game_plays_the_same_alone_and_among_other_games(scenario: str) -> None:
    """Whatever the other games of a batch do (sign truces and common standards, change
    policies, collapse), a game's year comes out exactly as when it is played alone on the same
    luck: what lets the search stack plans and the vector env stack games."""
    world = build_world(load_scenario(scenario))
    seats = [["techno_nationalist", "standards_diplomat", "random"], ["planner", "random", "free_marketeer"],
             ["random", "standards_diplomat", "standards_diplomat"], ["surveillance_hawk", "random", "planner"]]
    B = len(seats)
    batch = new_game(world, B)
    alone = [new_game(world, 1) for _ in range(B)]
    rng = np.random.default_rng(9)
    while not batch.finished:
        luck = Luck.draw(rng, B, world.n_powers, world.n_regions)
        orders = BatchOrders.hold(batch)
        for g in range(B):
            one = BatchOrders.hold(alone[g])
            for p in range(world.n_powers):
                decide_batch(alone[g], p, persona(seats[g][p]), np.random.default_rng([g, batch.turn, p]), one)
            for name, table in vars(one).items():
                getattr(orders, name)[g] = table[0]
            alone[g], _ = resolve(alone[g], one, luck=luck.take(np.array([g])), explain=False)
        batch, _ = resolve(batch, orders, luck=luck, explain=False)
        for g in range(B):
            np.testing.assert_array_equal(batch.nation[g], alone[g].nation[0], err_msg=f"game {g} year {batch.year}")
    assert batch.agreement.any()  # some game signed something
