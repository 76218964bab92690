"""The search simulates all its plans in one engine call a year and still decides as it did
simulating them one by one (common random numbers through the engine's Luck input)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from game.ai.difficulty import make_player
from game.ai.personas import decide_batch, decide_courses, persona, together
from game.ai.search import Dice, Lookahead, Plans, _course_orders, copy_rows
from game.engine import BatchOrders, GameState, new_game, resolve
from game.lab.tournament import world_for


def _midgame(scenario: str, games: int, years: int) -> GameState:
    world = world_for(scenario)
    state = new_game(world, games)
    rng = np.random.default_rng(2)
    for _ in range(years):
        orders = BatchOrders.hold(state)
        for p, who in enumerate(["random", "planner", "free_marketeer"][: world.n_powers]):
            decide_batch(state, p, persona(who), rng, orders)
        state, _ = resolve(state, orders, rng)
    return state


@pytest.mark.parametrize("scenario", ["digital-leninism-2017", "transatlantic-2017"])
@pytest.mark.parametrize("name", ["normal:free_marketeer", "expert", "research", "cem"])
def test_batched_search_gives_the_orders_of_the_one_plan_per_call_search(scenario: str, name: str) -> None:
    state = _midgame(scenario, 3, 4)
    orders = {}
    for batched in (True, False):
        player = make_player(name)
        player.batched = batched  # type: ignore[union-attr]
        out = BatchOrders.hold(state)
        player.decide_batch(state, 1, np.random.default_rng(7), out)
        orders[batched] = out
    for field, a in vars(orders[True]).items():
        np.testing.assert_array_equal(a, getattr(orders[False], field), err_msg=field)


def test_every_plan_projects_what_it_projects_alone() -> None:
    """Stacking plans on the game axis changes nothing about each plan's future, and two
    identical plans side by side project identical margins (they meet the same luck)."""
    world = world_for("transatlantic-2017")
    state = _midgame("transatlantic-2017", 4, 2)
    searcher = Lookahead(candidates=("planner", "free_marketeer", "planner"), depth=6)
    future = searcher._future(state, 2, np.random.default_rng(1))
    people = searcher._people
    course = np.repeat(np.arange(3), state.batch)
    together = future.rollout(Plans(course), people)
    for k in range(3):
        alone = future.rollout(Plans(np.full(state.batch, k)), people)
        np.testing.assert_array_equal(together[k], alone[0])
    np.testing.assert_array_equal(together[0], together[2])
    assert not np.array_equal(together[0], together[1])
    assert world.n_powers == 3


def test_shared_dice_give_each_player_what_fresh_dice_would() -> None:
    """The courses of a rollout share one year's dice (drawn once); a player whose calls match
    the record, and one whose calls depart from it (another noise, another order), each meet
    exactly the numbers of a fresh Generator from the seed."""
    shared = Dice([11, 1])
    calls = [
        [("gamma", (10.0, 0.1), {"size": (4, 3)}), ("random", ((4, 2),), {})],
        [("gamma", (10.0, 0.1), {"size": (4, 3)}), ("random", ((4, 2),), {})],
        [("gamma", (10.0, 0.1), {"size": (4, 3)}), ("integers", (0, 9), {"size": 4})],
        [("gamma", (2.0, 0.5), {"size": (4, 3)}), ("random", ((4, 2),), {})],
        [("dirichlet", (np.ones(3),), {"size": 4}), ("gamma", (10.0, 0.1), {"size": (4, 3)})],
    ]
    for sequence in calls:
        mine, fresh = shared.fresh(), np.random.default_rng([11, 1])
        for name, args, kwargs in sequence:
            got = getattr(mine, name)(*args, **kwargs)
            np.testing.assert_array_equal(got, getattr(fresh, name)(*args, **kwargs))
            got *= 0  # a player may work in the draw's array: the record must not change
    again = shared.fresh().gamma(10.0, 0.1, size=(4, 3))
    np.testing.assert_array_equal(again, np.random.default_rng([11, 1]).gamma(10.0, 0.1, size=(4, 3)))


@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_courses_decided_in_one_pass_are_each_persona_deciding_alone(noise: float) -> None:
    """A rollout decides all its courses in one pass over the rows (`decide_courses`); every
    row gets the orders its own persona gives deciding for that row's game alone, on the dice
    of that game, the 2017 course included."""
    state = _midgame("transatlantic-2017", 6, 5)
    people = [replace(persona(n), noise=noise) for n in ("planner", "free_marketeer", "status_quo",
                                                         "surveillance_hawk", "standards_diplomat")]
    assert together(people)
    course = np.random.default_rng(3).integers(0, len(people), size=state.batch)
    course[:len(people)] = np.arange(len(people))  # every persona has a game
    together_orders = BatchOrders.hold(state)
    decide_courses(state, 2, people, course, np.random.default_rng([9, 1]), together_orders)
    for g in range(state.batch):
        alone = BatchOrders.hold(state)
        fresh = np.random.default_rng([9, 1])
        decide_batch(state, 2, people[course[g]], fresh, alone)
        for field, a in vars(together_orders).items():
            np.testing.assert_array_equal(a[g], getattr(alone, field)[g], err_msg=f"{field} of game {g}")


def test_a_lookahead_that_replans_every_other_year_keeps_each_games_course_between() -> None:
    """`replan=2` searches in one year and not the next: in the year between, each game plays the
    course its search chose (the same orders as that course's persona on the same dice)."""
    state = _midgame("digital-leninism-2017", 4, 3)
    searcher = Lookahead(candidates=("planner", "free_marketeer", "techno_nationalist"), depth=5, replan=2)
    searched = []
    projected = searcher.projected
    searcher.projected = lambda *a: searched.append(a[0].turn) or projected(*a)  # type: ignore[method-assign]
    orders = BatchOrders.hold(state)
    searcher.decide_batch(state, 0, np.random.default_rng(1), orders)
    chosen = searcher.projected(state, 0, np.random.default_rng(1)).argmax(axis=0)
    nxt, _ = resolve(state, orders, np.random.default_rng(2))
    kept = BatchOrders.hold(nxt)
    searcher.decide_batch(nxt, 0, np.random.default_rng(3), kept)
    assert searched == [state.turn, state.turn]  # the second: this test's own look at the choice
    for g, k in enumerate(chosen):
        alone = BatchOrders.hold(nxt)
        decide_batch(nxt, 0, searcher._people[k], np.random.default_rng(3), alone)
        np.testing.assert_array_equal(kept.budget[g, 0], alone.budget[g, 0])
        np.testing.assert_array_equal(kept.policy[g, 0], alone.policy[g, 0])
    later, _ = resolve(nxt, kept, np.random.default_rng(4))
    searcher.decide_batch(later, 0, np.random.default_rng(5), BatchOrders.hold(later))
    assert searched[-1] == later.turn  # two years on it searches again


def test_a_searchs_courses_decided_in_one_pass_are_its_courses_deciding_in_turn() -> None:
    """A search's real orders for its chosen courses come from one pass over the games; they equal
    each course deciding for the whole batch in turn on the player's Generator (its noise drawn
    course after course) and each game keeping its own course's orders."""
    state = _midgame("digital-leninism-2017", 8, 4)
    people = [replace(persona(n), noise=0.1) for n in ("planner", "status_quo", "free_marketeer", "standards_diplomat")]
    course = np.array([0, 2, 1, 3, 2, 0, 3, 2])
    got = BatchOrders.hold(state)
    _course_orders(state, 1, people, course, np.random.default_rng(4), got)
    rng = np.random.default_rng(4)
    want = BatchOrders.hold(state)
    for k in np.unique(course):
        tmp = BatchOrders.hold(state)
        decide_batch(state, 1, people[k], rng, tmp)
        copy_rows(want, tmp, course == k, 1)
    for field, a in vars(got).items():
        np.testing.assert_array_equal(a, getattr(want, field), err_msg=field)
