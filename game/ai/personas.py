"""Scripted personas: distinct, documented strategies that give the same orders a person would.

A persona states what it values as weights on the engine's *channels* (what lever money buys) and
on indicators (how it judges a dilemma's choices), plus the policy options it wants. Because the
weights are on channels, a persona that meets a doctrine it was not written for adapts: a
surveillance hawk governing a democracy has no social-credit lever, so its surveillance appetite
goes to cyber and election security, its next-best channel.

Every persona has a vectorised form (`decide_batch`) that decides for all games of a batch at
once; the single-game form (`decide`) runs the same code on a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine import history
from game.engine import rules_of_play as play
from game.engine.orders import BatchOrders, Orders, decode
from game.engine.resolve import status_quo_orders
from game.engine.state import GameState
from game.engine.world import CH, N, World


@dataclass(frozen=True)
class Persona:
    name: str
    summary: str
    channels: dict[str, float] = field(default_factory=dict)  # appetite per channel
    policies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # wanted options, best first
    values: dict[str, float] = field(default_factory=dict)  # indicator weights for dilemmas
    propose: tuple[str, ...] = ()  # agreements it offers
    accept: tuple[str, ...] = ()  # agreements it takes when offered
    capital_reserve: float = 10.0  # political capital it keeps in hand
    noise: float = 0.0  # 0: deterministic; >0 random tilt of the budget (a difficulty handicap)
    adaptive: bool = True  # reacts to bubbles, protests and stalls
    random_play: bool = False
    status_quo: bool = False

    @cached_property
    def judged(self) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
        """What its memoised judgements depend on (appetites, wanted policies, values), as keys:
        built once per persona, since every decision looks them up."""
        return (tuple(sorted(self.channels.items())), tuple(sorted(self.policies.items())),
                tuple(sorted((BASE_VALUES | self.values).items())))


# Shared judgement of dilemmas: what any sensible government values, per unit of each indicator.
BASE_VALUES = {
    "growth": 400.0, "gdp": 2.0, "capital": 2.0, "legitimacy": 1.0, "approval": 1.0,
    "political_capital": 0.4, "privacy_trust": 0.3, "champions": 6.0, "champion_cost": -20.0,
    "bubble": -20.0, "data_quality": 20.0, "ai_capability": 0.5, "concentration": -10.0,
    "polarisation": -20.0, "protest": -300.0, "stability": 0.5, "unrest": -20.0,
}

# Every strategist keeps some appetite for every channel: returns per channel diminish (`sat`), so
# a spread portfolio is strong, and without this floor the balance lab found the random persona's
# even split beating every specialist (docs/balance).
SPREAD = dict.fromkeys(CH, 1.0)

PERSONAS: dict[str, Persona] = {p.name: p for p in (
    Persona(
        name="status_quo",
        summary="Repeats the power's 2017 budget split and policies; answers dilemmas with the "
                "first (default) choice. The baseline the scenarios are calibrated against.",
        status_quo=True, adaptive=False),
    Persona(
        name="random",
        summary="Random budget splits, random affordable policy changes, random answers and "
                "agreements. A floor for the balance lab, never a strategy.",
        random_play=True, adaptive=False),
    Persona(
        name="planner",
        summary="Bets on data-driven planning: coverage, a state data hub, AI and a high planning "
                "share with a data-sharing mandate; deflates bubbles early. As a democracy it "
                "builds data infrastructure, AI and public services under balanced data rules.",
        channels={**SPREAD, "coverage": 2.9, "data_hub": 4.0, "ai": 2.0, "services": 1.5},
        policies={"planning_share": ("planned",), "data_governance": ("mandate", "balanced"),
                  "credit_stance": ("neutral",), "acquisition_screening": ("screened",)},
        values={"data_quality": 60.0, "bubble": -40.0},
        propose=("common_standard",), accept=("tech_truce", "data_flows_pact", "common_standard")),
    Persona(
        name="techno_nationalist",
        summary="Grows infant champions behind closed doors: subsidies, AI, closed acquisition "
                "screening, broad export controls against rivals and restricted foreign tech. "
                "Rejects every foreign bid.",
        channels={**SPREAD, "champion": 3.1, "ai": 2.4, "coverage": 1.5, "export": 1.5},
        policies={"acquisition_screening": ("closed",), "tech_export_controls": ("broad", "targeted"),
                  "foreign_tech_access": ("restricted",), "credit_stance": ("loose", "neutral")},
        values={"champions": 40.0, "champion_cost": -60.0},
        accept=("common_standard",)),
    Persona(
        name="surveillance_hawk",
        summary="Order first: social credit, information control and surveillance AI, sold to "
                "autocracies with its infrastructure ('safe cities'); answers unrest with more "
                "control. As a democracy it spends on cyber and election security, AI and "
                "trusted infrastructure abroad instead, keeping data rules balanced.",
        channels={**SPREAD, "surveillance": 4.0, "censorship": 2.0, "ai": 2.0, "cyber": 3.0, "export": 5.0},
        policies={"data_governance": ("mandate", "balanced"), "foreign_tech_access": ("firewalled", "restricted"),
                  "tech_export_controls": ("targeted",)},
        values={"protest": -900.0, "legitimacy": 2.0, "stability": 1.5, "privacy_trust": 0.0},
        propose=("common_standard",), accept=("tech_truce", "common_standard")),
    Persona(
        name="free_marketeer",
        summary="Markets know best: low planning, open acquisition screening and tech access, "
                "no export controls, antitrust against data oligopolies, AI research and "
                "infrastructure; sells champions when the price is right.",
        channels={**SPREAD, "ai": 2.6, "coverage": 2.6, "antitrust": 1.7, "services": 1.8},
        policies={"planning_share": ("market_led",), "acquisition_screening": ("open",),
                  "foreign_tech_access": ("open",), "tech_export_controls": ("none",),
                  "data_governance": ("balanced",), "credit_stance": ("neutral",)},
        values={"capital": 10.0, "champions": 2.0, "growth": 800.0},
        propose=("digital_trade_deal", "tech_truce", "common_standard"),
        accept=("digital_trade_deal", "tech_truce", "data_flows_pact")),
    Persona(
        name="standards_diplomat",
        summary="Wins the swing regions: standards diplomacy, infrastructure export and "
                "champions that make its standard better; seeks a common standard with fellow "
                "democracies and a tech truce with rivals.",
        channels={**SPREAD, "standards": 5.5, "export": 3.6, "champion": 1.8},
        policies={"tech_export_controls": ("none",), "acquisition_screening": ("screened",),
                  "credit_stance": ("neutral",)},
        values={"unrest": -60.0, "champions": 10.0},
        propose=("common_standard", "tech_truce", "data_flows_pact"),
        accept=("common_standard", "tech_truce", "data_flows_pact", "digital_trade_deal")),
)}


def persona(name: str) -> Persona:
    """Look up a persona; unknown names raise ValueError listing the known ones."""
    if name not in PERSONAS:
        raise ValueError(f"unknown persona '{name}'; personas are {', '.join(PERSONAS)}")
    return PERSONAS[name]


def _lever_weights(world: World, p: int, who: Persona) -> NDArray[np.float64]:
    """(L,) the persona's budget split for power `p` before adapting: judged once per World
    (read-only), since a search's rollouts ask for it every simulated year."""
    key = ("lever weights", p, who.judged[0])
    if key not in world.memo:
        appetite = np.zeros(len(CH))
        for ch, v in who.channels.items():
            appetite[CH[ch]] = v
        score = world.lever_channels @ appetite  # (L,)
        score = score * world.lever_open[p]
        if score.sum() <= 0:  # nothing it wants is open: spread evenly over what is
            score = world.lever_open[p].astype(float)
        weights = score / score.sum()
        weights.setflags(write=False)
        world.memo[key] = weights
    split: NDArray[np.float64] = world.memo[key]
    return split


def _dilemma_table(world: World, who: Persona) -> NDArray[np.float64]:
    """(E, choices) how much this persona likes each choice of each dilemma."""
    weights = np.zeros(len(world.indicator_ids))
    values = BASE_VALUES | who.values
    for k, ind in enumerate(world.indicator_ids):
        weights[k] = values.get(ind, 0.0)
    own = world.effect_self + world.effect_fading
    table = own @ weights - 0.3 * (world.effect_rivals @ weights)
    region_w = np.array([values.get(i, 0.0) for i in world.region_indicator_ids])
    table += world.effect_regions @ region_w
    invalid = np.arange(table.shape[1])[None, :] >= world.choice_count[:, None]
    return np.where(invalid, -np.inf, history.prefer_historical(world, table))


def decide_batch(state: GameState, power: int, who: Persona, rng: np.random.Generator,
                 orders: BatchOrders) -> None:
    """Write this persona's orders for power index `power` into `orders`, for every game."""
    w = state.world
    B = state.batch
    if who.status_quo:
        sq = status_quo_orders(state)
        orders.budget[:, power] = sq.budget[:, power]
        orders.policy[:, power] = state.policy[:, power]
        orders.answer[:, power] = np.where(state.pending[:, power] >= 0, 0, -1)
        return
    if who.random_play:
        orders.budget[:, power] = rng.dirichlet(np.ones(len(w.lever_ids)), size=B) * play.lever_mask(w, power)
        want = rng.integers(0, 1 << 30, size=(B, len(w.policy_ids))) % w.option_count[None, :]
        change = rng.random((B, len(w.policy_ids))) < 0.15
        orders.policy[:, power] = np.where(change, want, state.policy[:, power])
        _keep_affordable(state, power, orders, reserve=0.0)
        counts = w.choice_count[np.maximum(state.pending[:, power], 0)]
        orders.answer[:, power] = np.where(state.pending[:, power] >= 0,
                                           rng.integers(0, 1 << 30, size=B) % counts, -1)
        for a in range(len(w.agreement_ids)):
            for q in range(w.n_powers):
                if q != power and w.agreement_open[power, a] and w.agreement_open[q, a]:
                    orders.propose[:, a, power, q] = rng.random(B) < 0.05
                    orders.accept[:, a, power, q] = state.proposal[:, a, q, power] & (rng.random(B) < 0.5)
        return

    decide_courses(state, power, [who], None, rng, orders)


def together(people: Sequence[Persona]) -> bool:
    """Whether these personas can decide in one pass (`decide_courses`): none plays at random,
    and those that do not hold the 2017 course share the handicaps that shape the pass (noise,
    adaptation, reserve), so each game meets the dice it would meet deciding alone."""
    return not any(p.random_play for p in people) and len(
        {(p.noise, p.adaptive, p.capital_reserve) for p in people if not p.status_quo}) == 1


def _answers(w: World, who: Persona) -> NDArray[np.int64]:
    """(E,) the persona's answer to each dilemma: it depends only on what it values, so it is
    judged once per World."""
    key = ("persona answers", who.judged[2])
    if key not in w.memo:
        w.memo[key] = _dilemma_table(w, who).argmax(axis=1)
    best: NDArray[np.int64] = w.memo[key]
    return best


def _wanted(w: World, power: int, who: Persona) -> dict[int, int]:
    """The option the persona wants for each policy open to the power, by policy index (judged
    once per World)."""
    key = ("wanted policies", power, who.judged[1])
    if key not in w.memo:
        w.memo[key] = _policies_wanted(w, power, who)
    wanted: dict[int, int] = w.memo[key]
    return wanted


def _policies_wanted(w: World, power: int, who: Persona) -> dict[int, int]:
    desired = {}
    for pol, options in who.policies.items():
        if pol not in w.policy_ids:
            continue
        q = w.policy_ids.index(pol)
        if not w.policy_open[power, q]:
            continue
        for option in options:
            if option in w.option_ids[q]:
                desired[q] = w.option_ids[q].index(option)
                break
    return desired


@dataclass(frozen=True)
class _Table:
    """What a set of personas deciding together wants, per persona (row k: people[k]), judged
    once per World: the per-decision work is then the games' arithmetic alone."""

    bases: NDArray[np.float64]  # (K, L) budget split before adapting
    bases_t: NDArray[np.float64]  # (L, K) the same, lever-major
    relief: NDArray[np.float64] | None  # (L,) the split that answers protest (None: each base)
    policies: list[tuple[int, Any]]  # (policy, -1 keep / an option for all / (K,) options, -1 none)
    answers: NDArray[np.int64]  # (K, E) answer to each dilemma
    offers: list[tuple[int, int, Any, Any]]  # (agreement, rival, proposes, accepts): None / True / (K,) flags


def _table(w: World, power: int, people: Sequence[Persona], holding: Sequence[bool]) -> _Table:
    """The `_Table` of these personas for `power` (a persona holding the 2017 course offers nothing)."""
    # first by the personas themselves (the entry keeps them, so their ids stay theirs): a
    # search's rollouts ask every simulated year, and hashing what they judge by cost more
    by_id = ("persona table of", power, tuple(map(id, people)), tuple(holding))
    if by_id in w.memo:
        table_: _Table = w.memo[by_id][1]
        return table_
    key = ("persona table", power, tuple((p.judged, p.propose, p.accept) for p in people), tuple(holding))
    if key in w.memo:
        table: _Table = w.memo[key]
        w.memo[by_id] = (tuple(people), table)
        return table
    relief = np.zeros(len(CH))
    relief[CH["services"]] = 1.0
    relief[CH["censorship"]] = 0.5
    relief[CH["cyber"]] = 0.5
    relief_l = (w.lever_channels @ relief) * w.lever_open[power]
    wanted = [_wanted(w, power, p) for p in people]
    policies: list[tuple[int, Any]] = []
    for q in range(len(w.policy_ids)):
        options = [d.get(q, -1) for d in wanted]  # -1: no change wanted
        policies.append((q, np.array(options) if len(set(options)) > 1 else options[0]))
    offers = []
    for a, ident in enumerate(w.agreement_ids):
        for q in range(w.n_powers):
            if q == power or not (w.agreement_open[power, a] and w.agreement_open[q, a]):
                continue
            moves = []
            for side in ("propose", "accept"):
                flags = [ident in getattr(p, side) and not sq for p, sq in zip(people, holding, strict=True)]
                moves.append(None if not any(flags) else True if all(flags) else np.array(flags))
            offers.append((a, q, moves[0], moves[1]))
    bases = np.array([_lever_weights(w, power, p) for p in people])
    table = _Table(bases=bases, bases_t=np.ascontiguousarray(bases.T),
                   relief=relief_l / relief_l.sum() if relief_l.sum() > 0 else None,
                   policies=policies, answers=np.array([_answers(w, p) for p in people]), offers=offers)
    for shared in (table.bases, table.bases_t, table.answers, *(o for _, o in policies if isinstance(o, np.ndarray))):
        shared.setflags(write=False)  # every decision reads them
    w.memo[key] = table
    w.memo[by_id] = (tuple(people), table)
    return table


def decide_courses(state: GameState, power: int, people: Sequence[Persona], course: NDArray[np.int64] | None,
                   rng: np.random.Generator, orders: BatchOrders) -> None:
    """Every game's orders from its own persona, `people[course[g]]` (`course` None: people[0] for
    all), in one pass over the batch: the numbers each game gets are those its persona would
    write deciding for it alone (a search's rollouts decide all their courses this way, one call
    a year instead of one per course). The personas must decide `together`; a noisy pass draws
    its noise once for the batch, as each persona would alone."""
    w = state.world
    B = state.batch
    who = next(p for p in people if not p.status_quo)
    nat = state.nation[:, power]
    # games holding the 2017 course are decided as `who` first and get the 2017 course at the end
    holding = [p.status_quo for p in people]
    table = _table(w, power, [who if sq else p for p, sq in zip(people, holding, strict=True)], holding)

    def per_game(values: Any) -> Any:
        """Values per persona ((K, ...) array) -> the values of each game's persona."""
        return values[0] if course is None else values[course]

    # each game's split before adapting, (L,) for one persona or lever-major (L, B) per game
    # (gathered from the lever-major table: the (B, L) gather read transposed cost more)
    base_t = table.bases_t[:, 0] if course is None else table.bases_t.take(course, axis=1)
    base = base_t.T
    if who.adaptive:
        # answer trouble where it shows: protest calls for services (and control); the two
        # weight vectors each sum to 1, so the mix is normalised in closed form
        unrest = 0.5 * np.clip(nat[:, N.PROTEST] / 0.02, 0, 1)
        # worked lever-major, (L, B), so that each operation runs along the games: (B, L) with
        # a broadcast (L,) vector would run twelve elements at a time
        relief_t = base_t if table.relief is None else table.relief
        mix = unrest * (relief_t[:, None] if relief_t.ndim == 1 else relief_t)
        mix += base_t[:, None] if base_t.ndim == 1 else base_t
        mix /= 1 + unrest
        budget = mix.T
    else:
        budget = np.broadcast_to(base, (B, table.bases.shape[1]))
    if who.noise > 0:
        # worked in place in the draw's own array (a search's rollouts make this call for every
        # simulated row and year): the same products and sums as a fresh copy of the split
        shaken = rng.gamma(1 / who.noise, who.noise, size=budget.shape)
        shaken *= budget
        shaken /= np.maximum(shaken.sum(axis=1, keepdims=True), 1e-12)
        budget = shaken
    orders.budget[:, power] = budget

    # policy by policy: a column of the (B, Q) tables runs along the games in one loop
    policy = orders.policy[:, power]
    asked = set()  # the policies some game may ask to change (the others keep theirs)
    for q, option in table.policies:
        if isinstance(option, np.ndarray):  # personas that differ on this policy: each game its own's
            want = per_game(option)
            policy[:, q] = np.where(want >= 0, want, state.policy[:, power, q])
            asked.add(q)
        elif option >= 0:
            policy[:, q] = option
            asked.add(q)
        else:
            policy[:, q] = state.policy[:, power, q]
    if who.adaptive and "credit_stance" in w.policy_ids:
        q = w.policy_ids.index("credit_stance")
        if w.policy_open[power, q] and "tight" in w.option_ids[q]:
            tight = w.option_ids[q].index("tight")
            # hysteresis: tighten above 0.5, relax only once the bubble is back under 0.3
            frothy = (nat[:, N.BUBBLE] > 0.5) | ((state.policy[:, power, q] == tight) & (nat[:, N.BUBBLE] > 0.3))
            policy[:, q] = np.where(frothy, tight, policy[:, q])
            asked.add(q)
    _keep_affordable(state, power, orders, reserve=who.capital_reserve, asked=sorted(asked))

    pending = state.pending[:, power]
    taken = table.answers[0][np.maximum(pending, 0)] if course is None else \
        table.answers[course, np.maximum(pending, 0)]
    orders.answer[:, power] = np.where(pending >= 0, taken, -1)

    if any(holding) and course is not None:
        sq = np.flatnonzero(np.asarray(holding)[course])
        orders.budget[sq, power] = play.opening_budgets(w)[power]
        orders.policy[sq, power] = state.policy[sq, power]
        orders.answer[sq, power] = np.where(state.pending[sq, power] >= 0, 0, -1)
    for a, q, proposes, accepts in table.offers:
        live = ~state.agreement[:, a, power, q]
        if proposes is not None:
            _offer(orders.propose[:, a, power, q], proposes, live, per_game)
        if accepts is not None:
            _offer(orders.accept[:, a, power, q], accepts, live & state.proposal[:, a, q, power], per_game)


def _offer(column: NDArray[np.bool_], flags: Any, value: NDArray[np.bool_], per_game: Any) -> None:
    """Write `value` to the games whose persona makes this move (`flags`: True for every persona,
    or one flag per persona); the others' orders stay as they are."""
    if flags is True:
        column[:] = value
    else:
        column[:] = np.where(per_game(flags), value, column)


def _keep_affordable(state: GameState, power: int, orders: BatchOrders, reserve: float,
                     asked: list[int] | None = None) -> None:
    """Keep the wanted policy changes, in the policies' order, while their running cost fits the
    political capital in hand (less the reserve); drop the rest. `asked` lists, in order, the
    only policies whose orders may differ from those in force (default: any)."""
    w = state.world
    cost = play.change_prices(w)
    wanted, held = orders.policy[:, power], state.policy[:, power]
    if asked is not None:
        # column by column over the policies a persona may change: a (B, Q) comparison of the
        # strided orders cost more than the rest of its decision
        if not asked:
            return
        differs = wanted[:, asked[0]] != held[:, asked[0]]
        for q in asked[1:]:
            differs |= wanted[:, q] != held[:, q]
        if not differs.any():  # the usual turn: no change wanted in any game
            return
        asking = np.flatnonzero(differs)
    else:
        table = wanted != held
        if not table.any():
            return
        asking = np.flatnonzero(table) // table.shape[1]
        asking = asking[np.concatenate((np.ones(1, dtype=bool), asking[1:] != asking[:-1]))]
    # worked on the games that want a change (a game that wants none has nothing to drop)
    # every game asking: work on the orders themselves
    games: NDArray[np.int64] | slice = slice(None) if asking.size == state.batch else asking
    policy, current = wanted[games], held[games]
    capital = state.nation[games, power, N.POLITICAL_CAPITAL] - reserve
    limit = np.maximum(capital, 0)
    running = None  # cost of the changes wanted so far, policy by policy (kept or not)
    for q in range(len(w.policy_ids)) if asked is None else asked:
        if not w.policy_open[power, q]:
            policy[:, q] = current[:, q]
            continue
        change = policy[:, q] != current[:, q]
        if not change.any():
            continue
        step = change * cost[q]
        running = step if running is None else running + step
        keep = change & play.affordable(running, limit)
        policy[:, q] = np.where(keep, policy[:, q], current[:, q])
    if isinstance(games, np.ndarray):
        wanted[games] = policy


def decide(state: GameState, power: str, who: Persona | str, rng: np.random.Generator,
           game: int = 0) -> Orders:
    """This persona's Orders for one power in one game (the same code as the batch form)."""
    chosen = persona(who) if isinstance(who, str) else who
    one = state.select(slice(game, game + 1))
    orders = BatchOrders.hold(one)
    decide_batch(one, state.world.power_index(power), chosen, rng, orders)
    return decode(one, orders, 0)[power]
