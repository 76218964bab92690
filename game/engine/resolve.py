"""One turn of the game: `resolve(state, orders, rng) -> (state, report)`, a pure function.

The mechanics run in the order of `mechanics.TURN` on a working copy (a Turn); the input state
is never changed, and all randomness comes from the one Generator passed in, or from the year's
`Luck` given instead (the search gives copies of a game the same luck: luck.py).
"""

from __future__ import annotations

import numpy as np

from game.engine import history, rules_of_play, score
from game.engine.luck import Luck
from game.engine.mechanics import BEFORE_PRODUCTION, TURN
from game.engine.mechanics.production import core_output, output_levels, tfp_terms
from game.engine.mechanics.protest import protest
from game.engine.mechanics.stability import stability_parts
from game.engine.orders import BatchOrders
from game.engine.report import Report
from game.engine.state import GameState, channels, initial_state
from game.engine.turn import open_turn
from game.engine.world import CH, N, World


def resolve(state: GameState, orders: BatchOrders, rng: np.random.Generator | None = None, *,
            explain: bool = True, luck: Luck | None = None) -> tuple[GameState, Report]:
    """Advance every game in the batch by one year. Finished games stay as they are.

    With `explain=False` the report carries no causes (the trajectory is identical); batched
    tournaments use it, since nobody reads ten thousand explanations. `luck` (one row per game)
    replaces the draws from `rng`; one of the two is required."""
    w = state.world
    if luck is None:
        if rng is None:
            raise TypeError("resolve needs a Generator or the year's Luck")
        luck = Luck.draw(rng, state.batch, w.n_powers, w.n_regions)
    elif luck.batch != state.batch:
        raise ValueError(f"luck for {luck.batch} games given to a batch of {state.batch}")
    tn = open_turn(state, orders, luck, explain)
    for step in history.turn(TURN, w):  # history mode adds its scheduled events; otherwise TURN
        step.run(tn)

    # finished games keep their numbers
    all_alive = bool(tn.alive.all())
    # without explanations a finished game's numbers are put back into the new arrays rather
    # than chosen between two whole copies: a search's rollouts hold a few finished games in
    # most years
    patch = not (all_alive or explain)
    ended = np.flatnonzero(state.over)
    if all_alive:
        nat = tn.nat
    elif patch:
        nat = tn.nat  # the turn's own copy
        nat[:, ended] = state.nat[:, ended]
    else:
        nat = np.where(tn.alive[None], tn.nat, state.nat)
    alive = tn.alive[:, :, None]
    turn = state.turn + 1
    over, crisis_turns = score.check_end(w, nat, tn.collapsed, state.crisis_turns, turn, state.over)
    stability_mean = state.stability_mean + (nat[N.STABILITY] - state.stability_mean) / (turn + 1)

    def running(new: np.ndarray, old: np.ndarray, mask: np.ndarray = tn.alive) -> np.ndarray:
        """The new values for games still running, the old ones for finished games."""
        if all_alive and new.dtype == old.dtype:
            return new
        if patch:
            out = np.array(new, dtype=np.result_type(new, old), order="C")
            out[ended] = old[ended]
            return out
        return np.where(mask, new, old)

    new = GameState(
        world=w, turn=turn, nat=nat, reg=tn.reg,
        align=tn.alignment, adopt=tn.adoption, tie=tn.ties,
        lever_stock=tn.lever_stock, policy=tn.policy, pending=tn.pending, cooldown=tn.cooldown,
        situation=tn.situation, agreement=tn.agreement, proposal=tn.proposal, fading=tn.fading,
        expected_growth=running(tn.expected, state.expected_growth),
        growth_memory=running(tn.growth_memory, state.growth_memory),
        honeymoon=tn.honeymoon, tfp_scale=state.tfp_scale, tfp_trend=state.tfp_trend,
        levels=running(tn.levels.transpose(1, 2, 0), state.levels, alive),
        stability_mean=running(stability_mean, state.stability_mean),
        labour=running(tn.labour, state.labour),
        cumulative_output=running(tn.cumulative_output, state.cumulative_output),
        crisis_turns=crisis_turns, collapsed=tn.collapsed, over=over,
    )
    report = Report(
        world=w, year=w.start_year + turn, before=state.nation, after=nat.transpose(1, 2, 0),
        causes=tn.causes,
        fired=tn.fired, answered=tn.answered, choice=tn.choice,
        situations_before=state.situation, situations_after=tn.situation,
        election=tn.election, congress=tn.congress, crash=tn.crash,
        collapsed=tn.collapse, signed=tn.signed, refused=tn.refused, over=over,
        offered=state.proposal,
        turnover=None if tn.turnover is None else tn.turnover.T,
    )
    return new, report


def new_game(world: World, batch: int = 1) -> GameState:
    """The starting state for `batch` games, calibrated so that start-year output and TFP growth
    match the scenario's data: the mechanics explain changes, the data sets the levels."""
    state = initial_state(world, batch)
    start_luck = Luck.draw(np.random.default_rng(0), batch, world.n_powers, world.n_regions)
    tn = open_turn(state, _status_quo(state), start_luck)
    for step in BEFORE_PRODUCTION:
        step.run(tn)
    tn.nat[N.TFP] = state.nat[N.TFP]
    levels = output_levels(tn)
    levels[-1] = 1.0
    tn.nat[N.CAPITAL] = state.nat[N.CAPITAL]
    core = core_output(tn, state.labour)
    scale = state.nat[N.GDP] / (core * levels.prod(axis=0))
    explained = sum(tfp_terms(tn, np.zeros_like(scale)).values())
    trend = world.tfp_growth[None, :] - explained
    dtype = state.nat.dtype
    # The derived indicators start where their mechanics put them under the 2017 course, not at
    # their lower bounds: a first turn report showing efficiency leap from 0.30 to 0.92 (or
    # protest fall from a placeholder 0.2%) would explain nothing the player did.
    protest(tn)
    nat = state.nat.copy()
    for col in (N.EFFICIENCY, N.INFORMATION_GAP, N.PLANNING_SHARE, N.DECOUPLING, N.PROTEST):
        nat[col] = tn.nat[col]
    # the 2017 services already relieve some grievance (as every later year's do)
    nat[N.GRIEVANCE] -= np.minimum(nat[N.GRIEVANCE], world.coef.protest.services_relief * tn.chan[CH["services"]])
    # stability as its mechanic reckons it with the calibrated protest (calm streets move with it)
    nat[N.STABILITY] = sum(stability_parts(world.coef, nat[N.PROTEST], nat[N.GRIEVANCE], nat[N.POLARISATION]).values())
    return history.opening(state.copy_with(nat=nat, tfp_scale=scale.astype(dtype), tfp_trend=trend.astype(dtype),
                                           levels=levels.transpose(1, 2, 0).astype(dtype),
                                           lever_stock=state.lever_stock, policy=state.policy,
                                           stability_mean=nat[N.STABILITY].copy()))


def _status_quo(state: GameState) -> BatchOrders:
    """Orders that repeat the scenario's start-year budget split and policies."""
    w = state.world
    orders = BatchOrders.hold(state)
    orders.budget[:] = rules_of_play.opening_budgets(w)
    return orders


def status_quo_orders(state: GameState) -> BatchOrders:
    """Public form of the status-quo orders (the `status_quo` persona uses it)."""
    return _status_quo(state)


__all__ = ["Luck", "channels", "new_game", "resolve", "status_quo_orders"]
