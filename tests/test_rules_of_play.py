"""The rules of play answer for every player: the legal-orders masks agree with `check_orders`, the
batched price of policy changes agrees with the one-power price, and the desktop and the classroom
share one draft that tells unreadable orders from illegal ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.classroom.session import ClassSession
from game.draft import Draft
from game.engine import GameState, IllegalOrders, MalformedOrders, Orders, build_world, check_orders, new_game
from game.engine import rules_of_play as play
from game.match import HUMAN, Game
from game.rules.loader import load_scenario

WORLD = build_world(load_scenario("digital-leninism-2017"))


def _with_capital(capital: float, batch: int = 1) -> GameState:
    state = new_game(WORLD, batch)
    nat = state.nat.copy()
    nat[WORLD.column("political_capital")] = capital
    return state.copy_with(nat=nat)


@settings(max_examples=60, deadline=None)
@given(power=st.sampled_from(["china", "usa"]), capital=st.floats(0.0, 60.0),
       q=st.integers(0, 5), o=st.integers(0, 3))
def test_the_policy_mask_is_what_check_orders_accepts(power: str, capital: float, q: int, o: int) -> None:
    """One policy choice is legal in the mask exactly when `check_orders` accepts it."""
    state = _with_capital(capital)
    p = WORLD.power_index(power)
    q %= len(WORLD.policy_ids)
    o %= int(WORLD.option_count[q])
    pol, option = WORLD.policy_ids[q], WORLD.option_ids[q][o]
    legal = play.legal_orders(WORLD, state, p)
    try:
        check_orders(WORLD, state, Orders(power, policies={pol: option}))
        accepted = True
    except IllegalOrders:
        accepted = False
    assert bool(legal.options[q, o]) == accepted


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_batched_price_of_changes_is_the_one_power_price(seed: int) -> None:
    rng = np.random.default_rng(seed)
    state = new_game(WORLD, 3)
    requested = (rng.integers(0, 4, size=state.policy.shape) % WORLD.option_count).astype(np.int64)
    batched = play.policy_change_costs(WORLD, state.policy, requested)
    for game in range(3):
        for p, pid in enumerate(WORLD.power_ids):
            wish = {pol: WORLD.option_ids[q][int(requested[game, p, q])] for q, pol in enumerate(WORLD.policy_ids)
                    if WORLD.policy_open[p, q]}
            assert play.policy_change_cost(WORLD, state, pid, wish, game) == pytest.approx(batched[game, p])


def test_levers_closed_to_a_doctrine_are_masked_and_refused() -> None:
    state = new_game(WORLD, 1)
    usa = WORLD.power_index("usa")
    closed = [lv for i, lv in enumerate(WORLD.lever_ids) if not play.legal_orders(WORLD, state, usa).levers[i]]
    assert "social_credit" in closed
    for lever in closed:
        with pytest.raises(IllegalOrders, match="not open to Liberal democracy"):
            check_orders(WORLD, state, Orders("usa", budget={lever: 0.1}))


def test_the_opening_budget_is_the_scenarios_and_fits_the_rule() -> None:
    for setup in WORLD.scenario.spec.powers:
        opening = play.opening_budget(WORLD, setup.id)
        assert opening == pytest.approx({k: v for k, v in setup.budget.items() if v > 0})
        assert play.budget_fits(play.budget_total(opening))
        check_orders(WORLD, new_game(WORLD, 1), Orders(setup.id, budget=opening))


def test_normalising_leaves_a_legal_budget_alone_and_scales_down_an_overspent_one() -> None:
    shares = np.zeros((len(WORLD.lever_ids), 1, WORLD.n_powers))
    china, usa = WORLD.power_index("china"), WORLD.power_index("usa")
    shares[0, 0, china], shares[1, 0, china] = 0.3, 0.5  # 80%: legal, untouched
    shares[0, 0, usa], shares[1, 0, usa] = 0.9, 0.9  # 180%: scaled to 100%
    factor = play.normalise_budget(WORLD, shares)
    assert factor[0, china] == 1.0
    assert (shares[:, 0, usa] * factor[0, usa]).sum() == pytest.approx(1.0)


def test_desktop_and_classroom_share_one_draft_and_its_reasons() -> None:
    """Over budget and over capital: the same player's reason on the desktop and in the classroom."""
    game = Game.new("digital-leninism-2017", seats={"china": HUMAN}, seed=1)
    draft = Draft.start(game, "china")
    assert draft.budget == play.opening_budget(game.world, "china")
    wish = {"planning_share": "cybernetic", "data_governance": "strict", "credit_stance": "tight",
            "foreign_tech_access": "open", "tech_export_controls": "broad", "acquisition_screening": "open"}
    draft.policies.update(wish)
    with pytest.raises(IllegalOrders, match=r"^Not enough political capital: these policy changes cost"):
        draft.check()

    s = ClassSession.create("digital-leninism-2017", seed=1)
    s.set_draft("china", {"budget": {"ai_research": 0.7, "state_data_hub": 0.6}}, "dev1")  # kept: still editing
    with pytest.raises(IllegalOrders, match=r"^Your budget shares add up to 130%; together they may be at most 100%\.$"):
        s.submit("china", "dev1")
    assert "china" not in s.submitted
    with pytest.raises(MalformedOrders, match="no such lever"):
        s.set_draft("china", {"budget": {"moonshots": 0.1}}, "dev1")
    assert s.drafts["china"]["budget"] == {"ai_research": 0.7, "state_data_hub": 0.6}


def test_the_rl_mask_offers_only_affordable_switches() -> None:
    pytest.importorskip("gymnasium")
    from game.lab.rl import Actions
    actions = Actions(WORLD)
    china = WORLD.power_index("china")
    poor, rich = _with_capital(0.0), _with_capital(100.0)
    switches = slice(1 + len(actions.personas) + len(actions.levers), None)
    assert actions.mask(poor, china)[switches].sum() == 0
    assert actions.mask(rich, china)[switches].sum() > 0


TRANSATLANTIC = build_world(load_scenario("transatlantic-2017"))


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["propose", "accept", "withdraw"]), a=st.integers(0, 3), p=st.integers(0, 2),
       q=st.integers(0, 2), offered=st.booleans(), pending=st.integers(-1, 5), choice=st.integers(0, 3))
def test_the_agreement_and_dilemma_masks_are_what_check_orders_accepts(
        kind: str, a: int, p: int, q: int, offered: bool, pending: int, choice: int) -> None:
    w = TRANSATLANTIC
    if p == q:
        return
    state = new_game(w, 1)
    proposal = state.proposal.copy()
    proposal[0, a % len(w.agreement_ids), q, p] = offered
    pend = state.pending.copy()
    pend[0, p] = pending % len(w.event_ids) if pending >= 0 else -1
    state = state.copy_with(proposal=proposal, pending=pend)
    legal = play.legal_orders(w, state, p)
    agreement, me, partner = w.agreement_ids[a % len(w.agreement_ids)], w.power_ids[p], w.power_ids[q]

    def accepted(orders: Orders) -> bool:
        try:
            check_orders(w, state, orders)
        except IllegalOrders:
            return False
        return True

    move = Orders(me, **{kind: ((agreement, partner),)})
    assert bool(getattr(legal, kind)[a % len(w.agreement_ids), q]) == accepted(move)
    e = int(pend[0, p])
    if e >= 0:
        choices = [c.id for c in w.scenario.rules.events[e].choices]
        k = choice % len(choices)
        assert legal.answers[k] == accepted(Orders(me, answers={w.event_ids[e]: choices[k]}))
    else:
        assert not legal.answers.any()
