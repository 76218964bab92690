"""One turn of the game: `resolve(state, orders, rng) -> (state, report)`, a pure function.

Mechanics run in a fixed order on a working copy; the input state is never changed, and all
randomness comes from the one Generator passed in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine import economy, events, politics, score, world_order
from game.engine.orders import BatchOrders
from game.engine.report import Report
from game.engine.state import GameState, channels, initial_state, modifiers
from game.engine.turn import Turn, open_turn
from game.engine.world import CH, N, World


def _orders(tn: Turn, state: GameState, orders: BatchOrders) -> np.ndarray:
    """Apply budgets and policy changes; return which powers' policy changes were refused."""
    w = state.world
    alive = tn.alive & ~state.collapsed
    requested = orders.policy if alive.all() else np.where(alive[:, :, None], orders.policy, state.policy)
    refused = np.zeros(alive.shape, dtype=bool)
    # most turns of most games change no policy: skip the bookkeeping
    if not np.array_equal(requested, state.policy) and ((requested != state.policy) & w.policy_open).any():
        requested = np.minimum(np.maximum(requested, 0), w.option_count - 1)
        changed = (requested != state.policy) & w.policy_open
        cost = (changed @ w.change_cost) * w.coef["politics"]["policy_change_scale"]
        affordable = cost <= tn.nat[N.POLITICAL_CAPITAL] + 1e-6
        tn.policy = np.where(affordable[:, :, None], requested, state.policy)
        tn.add(N.POLITICAL_CAPITAL, "policy changes", -np.where(affordable, cost, np.float32(0)))
        refused = ~affordable & changed.any(axis=2)
    tn.mods = modifiers(w, tn.policy)
    # budget shares, lever-major; NaN and negative shares count as nothing, totals above 1 scale down
    # cast first (one contiguous pass), then lay out lever-major
    shares = np.ascontiguousarray(orders.budget.astype(tn.nat.dtype).transpose(2, 0, 1))
    np.fmax(shares, 0.0, out=shares)  # fmax turns NaN into 0
    np.minimum(shares, 1.0, out=shares)
    for lever, power in w.lever_closed:  # a row each: cheaper than broadcasting the (L, P) mask
        shares[lever, :, power] = 0.0
    total = shares.sum(axis=0)
    scale = np.where(total > 1.0, 1.0 / np.maximum(total, 1e-12), 1.0) * alive * tn.const.budget_points
    shares *= scale
    stock = w.lever_retention * tn.lever_stock
    stock += shares
    tn.lever_stock = stock
    tn.chan = channels(w, stock)
    return refused


def _pre_production(tn: Turn, state: GameState, orders: BatchOrders) -> tuple[Any, ...]:
    refused = _orders(tn, state, orders)
    agreement, proposal, signed = events.agreements(tn, state.agreement, state.proposal,
                                                    orders.propose, orders.accept, orders.withdraw)
    later, fading, answered, choice = events.answer_dilemmas(tn, state.pending, orders.answer, state.fading)
    tn.flags["cumulative_output"] = state.cumulative_output
    economy.data_economy(tn)
    economy.surveillance(tn)
    economy.information(tn)
    economy.export_controls(tn)
    economy.ai_loop(tn)
    economy.industry(tn)
    economy.finance(tn)
    return refused, agreement, proposal, signed, later, fading, answered, choice


def resolve(state: GameState, orders: BatchOrders, rng: np.random.Generator, *,
            explain: bool = True) -> tuple[GameState, Report]:
    """Advance every game in the batch by one year. Finished games stay as they are.

    With `explain=False` the report carries no causes (the trajectory is identical); batched
    tournaments use it, since nobody reads ten thousand explanations."""
    w = state.world
    tn = open_turn(state, rng, explain)
    refused, agreement, proposal, signed, later, fading, answered, choice = _pre_production(tn, state, orders)
    labour, levels = economy.production(tn, state.labour, state.tfp_scale, state.tfp_trend,
                                        state.levels.transpose(2, 0, 1))

    memory, expected = politics.grievance(tn, state.growth_memory, state.expected_growth)
    tn.flags["growth_memory"] = memory
    politics.protest(tn)
    politics.legitimacy(tn)
    honeymoon = politics.approval(tn, state.honeymoon)
    honeymoon = politics.elections_and_congress(tn, honeymoon)
    politics.stability(tn)

    world_order.standards(tn)
    world_order.diffusion(tn)
    world_order.regions(tn)

    fading = events.apply_fading(tn, fading, later)
    active = events.situations(tn, state.situation)
    politics.collapse(tn)
    collapsed = state.collapsed | tn.flags["collapse"]

    np.clip(tn.nat, w.lo[:, None, None], w.hi[:, None, None], out=tn.nat)
    all_alive = bool(tn.alive.all())
    nat = tn.nat if all_alive else np.where(tn.alive[None], tn.nat, state.nat)
    alive = tn.alive[:, :, None]
    pending_after = np.where(answered >= 0, -1, state.pending)
    pending, cooldown = events.draw_dilemmas(tn, state.cooldown, pending_after)
    pending = np.where(collapsed, -1, pending)
    fired = np.where((pending >= 0) & (pending != pending_after), pending, -1)

    turn = state.turn + 1
    over, crisis_turns = score.check_end(w, nat, collapsed, state.crisis_turns, turn, state.over)
    stability_mean = state.stability_mean + (nat[N.STABILITY] - state.stability_mean) / (turn + 1)
    reg = np.clip(tn.reg, w.region_lo[:, None, None], w.region_hi[:, None, None], out=tn.reg)  # our copy
    def running(new: np.ndarray, old: np.ndarray, mask: np.ndarray = tn.alive) -> np.ndarray:
        """The new values for games still running, the old ones for finished games."""
        return new if all_alive and new.dtype == old.dtype else np.where(mask, new, old)

    new = GameState(
        world=w, turn=turn, nat=nat, reg=reg,
        align=tn.alignment, adopt=tn.adoption, tie=tn.ties,
        lever_stock=tn.lever_stock, policy=tn.policy, pending=pending, cooldown=cooldown,
        situation=active, agreement=agreement, proposal=proposal, fading=fading,
        expected_growth=running(expected, state.expected_growth),
        growth_memory=running(memory, state.growth_memory),
        honeymoon=honeymoon, tfp_scale=state.tfp_scale, tfp_trend=state.tfp_trend,
        levels=running(levels.transpose(1, 2, 0), state.levels, alive),
        stability_mean=running(stability_mean, state.stability_mean),
        labour=running(labour, state.labour),
        cumulative_output=running(tn.flags["cumulative_output"], state.cumulative_output),
        crisis_turns=crisis_turns, collapsed=collapsed, over=over,
    )
    report = Report(
        world=w, year=w.start_year + turn, before=state.nation, after=nat.transpose(1, 2, 0),
        causes=tn.causes,
        fired=fired, answered=answered, choice=choice,
        situations_before=state.situation, situations_after=active,
        election=tn.flags["election"], congress=tn.flags["congress"], crash=tn.flags["crash"],
        collapsed=tn.flags["collapse"], signed=signed, refused=refused,
    )
    return new, report


def new_game(world: World, batch: int = 1) -> GameState:
    """The starting state for `batch` games, calibrated so that start-year output and TFP growth
    match the scenario's data: the mechanics explain changes, the data sets the levels."""
    state = initial_state(world, batch)
    tn = open_turn(state, np.random.default_rng(0))
    _pre_production(tn, state, _status_quo(state))
    tn.nat[N.TFP] = state.nat[N.TFP]
    levels = economy.output_levels(tn)
    levels[-1] = 1.0
    tn.nat[N.CAPITAL] = state.nat[N.CAPITAL]
    core = economy.core_output(tn, state.labour)
    scale = state.nat[N.GDP] / (core * levels.prod(axis=0))
    explained = sum(economy.tfp_terms(tn, np.zeros_like(scale)).values())
    trend = world.tfp_growth[None, :] - explained
    dtype = state.nat.dtype
    # The derived indicators start where their mechanics put them under the 2017 course, not at
    # their lower bounds: a first turn report showing efficiency leap from 0.30 to 0.92 (or
    # protest fall from a placeholder 0.2%) would explain nothing the player did.
    politics.protest(tn)
    nat = state.nat.copy()
    for col in (N.EFFICIENCY, N.INFORMATION_GAP, N.PLANNING_SHARE, N.DECOUPLING, N.PROTEST):
        nat[col] = tn.nat[col]
    chenoweth = world.coef["protest"]["chenoweth"]
    nat[N.STABILITY] += 40 * (np.minimum(1.0, state.nat[N.PROTEST] / chenoweth)
                              - np.minimum(1.0, nat[N.PROTEST] / chenoweth))
    # the 2017 services already relieve some grievance (as every later year's do)
    relieved = np.minimum(nat[N.GRIEVANCE], world.coef["protest"]["services_relief"] * tn.chan[CH["services"]])
    nat[N.GRIEVANCE] -= relieved
    nat[N.STABILITY] += 40 * relieved
    return state.copy_with(nat=nat, tfp_scale=scale.astype(dtype), tfp_trend=trend.astype(dtype),
                           levels=levels.transpose(1, 2, 0).astype(dtype),
                           lever_stock=state.lever_stock, policy=state.policy,
                           stability_mean=nat[N.STABILITY].copy())


def _status_quo(state: GameState) -> BatchOrders:
    """Orders that repeat the scenario's start-year budget split and policies."""
    w = state.world
    orders = BatchOrders.hold(state)
    for p, setup in enumerate(w.scenario.spec.powers):
        for lever, share in setup.budget.items():
            orders.budget[:, p, w.lever_ids.index(lever)] = share
    return orders


def status_quo_orders(state: GameState) -> BatchOrders:
    """Public form of the status-quo orders (the `status_quo` persona uses it)."""
    return _status_quo(state)


__all__ = ["channels", "new_game", "resolve", "status_quo_orders"]
